/**
 * GET /v1/checkout/:id: the public part of an order, for the hosted checkout page (no secret key);
 * POST /v1/checkout/:id/select: the customer picks the network and token to pay with;
 * POST /v1/checkout/:id/relay: Pier sends the customer's signed authorization and pays the gas;
 * POST /v1/checkout/:id/attempts: the checkout records how it has the customer pay, for the order's timeline.
 */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../../context.ts";
import { getSignedCheckoutOrder } from "../../../orders/getCheckout.ts";
import { checkoutOptions, selectOption } from "../../../orders/orderOptions.ts";
import { recordPaymentAttempt } from "../../../orders/paymentAttempts.ts";
import { toCheckoutObject } from "../../../orders/toOrderObject.ts";
import { relayPayment, toRelayObject } from "../../../relay/relays.ts";
import { errors, IdParams } from "../../../schemas/common.ts";
import { Checkout, OrderIdPattern, SelectOptionBody } from "../../../schemas/order.ts";
import { MAX_PAYMENT_ATTEMPTS, PaymentAttempt, PaymentAttemptBody } from "../../../schemas/paymentAttempt.ts";
import { Relay, RelayBody } from "../../../schemas/relay.ts";

export default async function checkoutRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/v1/checkout/:id",
    {
      config: { auth: "public" },
      schema: {
        operationId: "getCheckout",
        tags: ["Checkout"],
        summary: "Public checkout data of an order",
        description:
          "What a browser needs to pay: amount, token, escrow, signed terms and signature; once paid, the escrow's Payment record (for dispute()). Order ids are unguessable; no merchant data beyond the display name.",
        params: IdParams(OrderIdPattern, "Order id (ord_...)"),
        response: { 200: Checkout, ...errors(400, 404) },
      },
    },
    async (req) => {
      const row = await getSignedCheckoutOrder(ctx, req.params.id);
      return toCheckoutObject(ctx, row, row.merchant_name, await checkoutOptions(ctx, ctx.pool, row));
    },
  );

  app.post(
    "/v1/checkout/:id/select",
    {
      config: { auth: "public" },
      schema: {
        operationId: "selectCheckoutOption",
        tags: ["Checkout"],
        summary: "Pick the network and token to pay with",
        description:
          "One of the checkout's `options`: the order's terms and signature become that option's (signed now, or the ones signed when it was picked before). Terms of an option switched away from stay payable; should the customer pay twice, the second payment is refunded automatically (`order.duplicate_payment`). 409 order_not_open once paid, canceled or expired.",
        params: IdParams(OrderIdPattern, "Order id (ord_...)"),
        body: SelectOptionBody,
        response: { 200: Checkout, ...errors(400, 404, 409) },
      },
    },
    async (req) => {
      await selectOption(ctx, req.params.id, req.body);
      const row = await getSignedCheckoutOrder(ctx, req.params.id);
      return toCheckoutObject(ctx, row, row.merchant_name, await checkoutOptions(ctx, ctx.pool, row));
    },
  );

  app.post(
    "/v1/checkout/:id/relay",
    {
      config: { auth: "public" },
      schema: {
        operationId: "relayCheckoutPayment",
        tags: ["Checkout"],
        summary: "Relay the customer's signed payment (Pier pays the gas)",
        description:
          "For tokens that take ERC-3009 authorizations: the customer signs, Pier's relayer sends the escrow's `payWithAuthorization` with a `bytes` signature and pays the network fee, so the customer needs no native coin; smart-contract wallets (ERC-1271) and wallets not deployed yet (ERC-6492) included. Simulated first: a signature the escrow would refuse is a 400 `relay_refused` and nothing is sent. 503 `relayer_unavailable` when the relayer cannot pay the gas, 429 `relay_rate_limited` and 409 `relay_budget_exhausted` at the shop's limits: the customer then pays from the wallet. A second request for the same order and payer returns the first relay (200).",
        params: IdParams(OrderIdPattern, "Order id (ord_...)"),
        body: RelayBody,
        response: { 200: Relay, 202: Relay, ...errors(400, 404, 409, 429, 503) },
      },
    },
    async (req, reply) => {
      const { relay, created } = await relayPayment(ctx, req.params.id, req.body);
      return reply.code(created ? 202 : 200).send(toRelayObject(relay));
    },
  );

  app.post(
    "/v1/checkout/:id/attempts",
    {
      config: { auth: "public" },
      schema: {
        operationId: "recordCheckoutAttempt",
        tags: ["Checkout"],
        summary: "Record how the customer is to pay",
        description: `The checkout says which way it has the customer pay (\`relayed\`, an atomic \`batch\`, or one of the escrow's paths), what it told the customer and what it learnt of the wallet (EIP-5792 wallet_getCapabilities). Stored as an \`order.payment_method_chosen\` event in the order's timeline (GET /v1/events?order=...) and sent to webhooks. Once per method and account: a repeat answers the attempt stored first and stores nothing. 409 \`order_not_payable\` unless the order is open with time left; 429 \`too_many_attempts\` once ${MAX_PAYMENT_ATTEMPTS} are recorded for the order.`,
        params: IdParams(OrderIdPattern, "Order id (ord_...)"),
        body: PaymentAttemptBody,
        response: { 200: PaymentAttempt, ...errors(400, 404, 409, 429) },
      },
    },
    async (req) => (await recordPaymentAttempt(ctx, req.params.id, req.body)).attempt,
  );
}

/**
 * /v1/admin: operator routes guarded by PIER_ADMIN_KEY (not a merchant key): create merchants, resolve
 * disputes as the arbiter, place or lift risk holds.
 */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { audit } from "../../../audit/auditLog.ts";
import { requestedMode } from "../../../chain/networks.ts";
import type { AppContext } from "../../../context.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { createMerchant, toMerchantObject } from "../../../merchants/merchants.ts";
import { getOrderForAdmin, resolveDispute, setHold } from "../../../orders/orderActions.ts";
import { toOrderObject } from "../../../orders/toOrderObject.ts";
import { Address, errors, IdempotencyHeaders, IdParams, TokenAmount } from "../../../schemas/common.ts";
import { Merchant } from "../../../schemas/merchant.ts";
import { OrderIdPattern } from "../../../schemas/order.ts";

const tags = ["Admin"];
const Params = IdParams(OrderIdPattern, "Order id (ord_...)");
const OrderRef = Type.Ref("Order");

export default async function adminRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    "/v1/admin/merchants",
    {
      config: { auth: "admin" },
      schema: {
        tags,
        summary: "Create a merchant and its first secret key",
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            payout_address: Address,
            owner_address: Type.Optional({
              ...Address,
              description: "Dashboard sign-in wallet; default: payout_address.",
            }),
            livemode: Type.Optional(
              Type.Boolean({
                description:
                  "Mode of the first key (default: the first network's). Keys of the other mode are made from a dashboard session signed in to it.",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ merchant: Merchant, secret_key: Type.String({ description: "Shown once." }) }),
          ...errors(400, 401, 403, 409),
        },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const livemode = requestedMode(ctx.networks, req.body.livemode);
        const created = await createMerchant(tx, {
          name: req.body.name,
          payoutAddress: req.body.payout_address,
          ownerAddress: req.body.owner_address,
          livemode,
        });
        return {
          merchant: toMerchantObject(created.merchant, livemode),
          secret_key: created.secret,
        };
      }),
  );

  app.post(
    "/v1/admin/orders/:id/resolve",
    {
      config: { auth: "admin" },
      schema: {
        tags,
        summary: "Resolve a disputed (or held) order as the arbiter",
        description:
          "`refund_amount` goes back to the payer, the rest to the merchant net of fee. Queued for the arbiter key.",
        headers: IdempotencyHeaders,
        params: Params,
        body: Type.Object({ refund_amount: TokenAmount }, { additionalProperties: false }),
        response: { 202: OrderRef, ...errors(400, 401, 403, 404, 409, 503) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 202, async (tx) => {
        const order = await getOrderForAdmin(tx, req.params.id);
        await resolveDispute(ctx, tx, order, BigInt(req.body.refund_amount));
        await audit(
          tx,
          req,
          "dispute.resolved",
          order.id,
          { refund_amount: req.body.refund_amount },
          { merchantId: order.merchant_id, livemode: order.livemode },
        );
        return toOrderObject(ctx, order);
      }),
  );

  app.post(
    "/v1/admin/orders/:id/hold",
    {
      config: { auth: "admin" },
      schema: {
        tags,
        summary: "Place or lift a risk hold",
        description:
          "A held payment cannot be released (the keeper skips it) until the hold is lifted or resolved.",
        headers: IdempotencyHeaders,
        params: Params,
        body: Type.Object({ held: Type.Boolean() }, { additionalProperties: false }),
        response: { 202: OrderRef, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 202, async (tx) => {
        const order = await getOrderForAdmin(tx, req.params.id);
        await setHold(ctx, tx, order, req.body.held);
        await audit(
          tx,
          req,
          req.body.held ? "risk.hold_placed" : "risk.hold_lifted",
          order.id,
          {},
          { merchantId: order.merchant_id, livemode: order.livemode },
        );
        return toOrderObject(ctx, order);
      }),
  );
}

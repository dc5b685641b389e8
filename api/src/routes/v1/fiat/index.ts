/**
 * The checkout's fiat routes (public, like GET /v1/checkout/:id: order ids are unguessable):
 *
 *   GET  /v1/checkout/:id/fiat                      which wallets the configured provider offers
 *   POST /v1/checkout/:id/fiat/quotes               lock the order's amount in the customer's currency
 *   POST /v1/checkout/:id/fiat/sessions             start paying with that quote -> approval_url
 *   GET  /v1/checkout/:id/fiat/sessions/:session    the session's status (the order's is on /checkout)
 *
 * Starting a session twice with the same quote returns the first session (the quote is single-use).
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import {
  createFiatSession,
  getFiatSession,
  loadPayableOrder,
  treasuryFor,
} from "../../../bridge/createSession.ts";
import { settlementTokenOf } from "../../../bridge/quoteToken.ts";
import { toFiatSessionObject } from "../../../bridge/sessionRow.ts";
import type { AppContext } from "../../../context.ts";
import type { FiatProviderName, WalletKind } from "../../../fiat/provider.ts";
import { createQuote } from "../../../fx/quoteService.ts";
import { toFxQuoteObject } from "../../../fx/toFxQuoteObject.ts";
import { checkFiatSessionRisk } from "../../../risk/evaluateFiatSession.ts";
import { errors } from "../../../schemas/common.ts";
import { CreateFiatSessionBody, FiatOptions, FiatSession } from "../../../schemas/fiat.ts";
import { Currency, FxQuote } from "../../../schemas/fx.ts";
import { OrderIdPattern } from "../../../schemas/order.ts";

const WALLETS: Record<FiatProviderName, WalletKind[]> = {
  sandbox: ["paypal", "apple_pay", "google_pay"],
  paypal: ["paypal"],
  stripe: ["apple_pay", "google_pay"],
};

const OrderParams = Type.Object({ id: Type.String({ pattern: OrderIdPattern, maxLength: 64 }) });

export default async function checkoutFiatRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/v1/checkout/:id/fiat",
    {
      config: { auth: "public" },
      schema: {
        operationId: "getCheckoutFiat",
        tags: ["Checkout"],
        summary: "Fiat wallets offered for an order",
        params: OrderParams,
        response: { 200: FiatOptions, ...errors(400, 404) },
      },
    },
    async () => {
      const fiat = ctx.fiat;
      const provider = fiat.provider?.name;
      return {
        object: "fiat_options" as const,
        enabled: provider !== undefined,
        provider: provider ?? null,
        wallets: provider ? WALLETS[provider] : [],
        reason: fiat.reason ?? null,
      };
    },
  );

  app.post(
    "/v1/checkout/:id/fiat/quotes",
    {
      config: { auth: "public" },
      schema: {
        operationId: "createCheckoutFiatQuote",
        tags: ["Checkout"],
        summary: "Quote an order in the customer's currency",
        description:
          "A quote fixing the order's token amount; the customer pays `source_amount` in `currency`.",
        params: OrderParams,
        body: Type.Object({ currency: Currency }, { additionalProperties: false }),
        response: { 200: FxQuote, ...errors(400, 404, 409, 503) },
      },
    },
    async (req) => {
      const order = await loadPayableOrder(ctx, req.params.id);
      // Priced in the order's own token (its peg and decimals), funded by that token's treasury.
      const { token } = treasuryFor(ctx, order);
      const quote = await createQuote(
        ctx.fx,
        { currency: req.body.currency, targetUnits: BigInt(order.amount) },
        settlementTokenOf(token),
      );
      return toFxQuoteObject(quote);
    },
  );

  app.post(
    "/v1/checkout/:id/fiat/sessions",
    {
      config: { auth: "public" },
      schema: {
        operationId: "createCheckoutFiatSession",
        tags: ["Checkout"],
        summary: "Start paying an order with a fiat wallet",
        description:
          "Consumes the quote and opens a session at the provider; send the customer to `approval_url` (or confirm `client_secret` in the browser for Stripe wallets). Refused with 503 `treasury_low` when the bridge could not fund the escrow.",
        params: OrderParams,
        body: CreateFiatSessionBody,
        response: { 200: FiatSession, ...errors(400, 404, 409, 502, 503) },
      },
    },
    async (req) => {
      // Risk rules (api/src/risk): a blocked customer gets 400 risk_blocked before any provider call.
      await checkFiatSessionRisk(ctx, req.params.id, req);
      return toFiatSessionObject(await createFiatSession(ctx, req.params.id, req.body));
    },
  );

  app.get(
    "/v1/checkout/:id/fiat/sessions/:session",
    {
      config: { auth: "public" },
      schema: {
        operationId: "getCheckoutFiatSession",
        tags: ["Checkout"],
        summary: "A fiat session's status",
        params: Type.Object({
          id: Type.String({ pattern: OrderIdPattern, maxLength: 64 }),
          session: Type.String({ pattern: "^fis_[0-9A-Za-z]{24}$" }),
        }),
        response: { 200: FiatSession, ...errors(400, 404) },
      },
    },
    async (req) => toFiatSessionObject(await getFiatSession(ctx, req.params.id, req.params.session)),
  );
}

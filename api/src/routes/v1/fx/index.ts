/** /v1/fx/quotes: lock an exchange rate from a fiat currency to the settlement token, and read it back. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { settlementTokenOf } from "../../../bridge/quoteToken.ts";
import { homeNetwork } from "../../../chain/networks.ts";
import type { AppContext } from "../../../context.ts";
import { InvalidRequestError, NotFoundError } from "../../../errors.ts";
import { createQuote } from "../../../fx/quoteService.ts";
import { toFxQuoteObject } from "../../../fx/toFxQuoteObject.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { errors, IdempotencyHeaders, IdParams } from "../../../schemas/common.ts";
import { CreateFxQuoteBody, FxQuote } from "../../../schemas/fx.ts";

export default async function fxRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    "/v1/fx/quotes",
    {
      config: { auth: "any" },
      schema: {
        operationId: "createFxQuote",
        tags: ["FX"],
        summary: "Create an FX quote",
        description:
          "Locks the rate (mid rate, spread fee, both amounts) until `expires_at`. Rates older than the configured maximum age are refused (503 `fx_rate_stale`).",
        headers: IdempotencyHeaders,
        body: CreateFxQuoteBody,
        response: { 200: FxQuote, ...errors(400, 401, 403, 503) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async () => {
        const { currency, amount, target_amount } = req.body;
        if ((amount === undefined) === (target_amount === undefined))
          throw new InvalidRequestError(
            "parameter_invalid",
            "Give exactly one of amount and target_amount",
            "amount",
          );
        if (target_amount !== undefined && BigInt(target_amount) <= 0n)
          throw new InvalidRequestError("amount_invalid", "target_amount must be positive", "target_amount");
        // In the default token of the key's mode: the one payouts are debited in.
        const quote = await createQuote(
          ctx.fx,
          amount !== undefined
            ? { currency, sourceAmount: amount }
            : { currency, targetUnits: BigInt(target_amount!) },
          settlementTokenOf(homeNetwork(ctx.networks, req.principal.livemode).token),
        );
        return toFxQuoteObject(quote);
      }),
  );

  app.get(
    "/v1/fx/quotes/:id",
    {
      config: { auth: "any" },
      schema: {
        operationId: "getFxQuote",
        tags: ["FX"],
        summary: "Retrieve an FX quote",
        params: IdParams("^fxq_[0-9A-Za-z]{24}$", "Quote id (fxq_...)"),
        response: { 200: FxQuote, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const quote = await ctx.fx.store.get(req.params.id);
      if (!quote) throw new NotFoundError("fx_quote", req.params.id);
      return toFxQuoteObject(quote);
    },
  );
}

/** /v1/payouts: withdraw settled funds to a fiat wallet at an FX quote; list and retrieve payouts. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { audit } from "../../../audit/auditLog.ts";
import { createPayout, getPayout, listPayouts, toPayoutObject } from "../../../bridge/payouts.ts";
import type { AppContext } from "../../../context.ts";
import { PermissionError } from "../../../errors.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { errors, IdempotencyHeaders, IdParams, ListOf, ListQuery } from "../../../schemas/common.ts";
import { CreatePayoutBody, Payout } from "../../../schemas/payout.ts";

export default async function payoutRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    "/v1/payouts",
    {
      config: { auth: "any" },
      schema: {
        operationId: "createPayout",
        tags: ["Payouts"],
        summary: "Withdraw settled funds to a fiat wallet",
        description: "Unrestricted secret keys only. Accepted as `pending`, then paid by the fiat provider.",
        headers: IdempotencyHeaders,
        body: CreatePayoutBody,
        response: { 200: Payout, ...errors(400, 401, 403, 404, 409, 503) },
      },
    },
    (req, reply) => {
      if (req.principal.scopes !== "all")
        throw new PermissionError("insufficient_scope", "Payouts need an unrestricted secret key");
      return idempotent(ctx, req, reply, 200, async (tx) => {
        const payout = toPayoutObject(await createPayout(ctx, tx, req.principal, req.body));
        await audit(tx, req, "payout.created", payout.id, { ...req.body });
        return payout;
      });
    },
  );

  app.get(
    "/v1/payouts",
    {
      config: { auth: "any" },
      schema: {
        operationId: "listPayouts",
        tags: ["Payouts"],
        summary: "List payouts",
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: { 200: ListOf(Payout, "A page of payouts"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await listPayouts(ctx.pool, req.principal, req.query);
      return {
        object: "list" as const,
        data: page.data.map(toPayoutObject),
        has_more: page.hasMore,
        url: "/v1/payouts",
      };
    },
  );

  app.get(
    "/v1/payouts/:id",
    {
      config: { auth: "any" },
      schema: {
        operationId: "getPayout",
        tags: ["Payouts"],
        summary: "Retrieve a payout",
        params: IdParams("^po_[0-9A-Za-z]{24}$", "Payout id (po_...)"),
        response: { 200: Payout, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => toPayoutObject(await getPayout(ctx.pool, req.principal, req.params.id)),
  );
}

/** /v1/refunds: refund an escrowed order (fully or partly), list and retrieve refunds. */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { audit } from "../../../audit/auditLog.ts";
import type { AppContext } from "../../../context.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { createRefund, getRefund, listRefunds, toRefundObject } from "../../../refunds/refunds.ts";
import { errors, IdempotencyHeaders, IdParams, ListOf, ListQuery } from "../../../schemas/common.ts";
import { CreateRefundBody, Refund } from "../../../schemas/refund.ts";

export default async function refundRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    "/v1/refunds",
    {
      config: { auth: "refunds:write" },
      schema: {
        operationId: "createRefund",
        tags: ["Refunds"],
        summary: "Refund an escrowed order",
        description:
          "Accepted as `pending` and submitted on chain by the operator; `refund.succeeded` or `refund.failed` follows, and the order's `amount_refunded` rises (`order.partially_refunded`, or `order.refunded` when nothing remains).",
        headers: IdempotencyHeaders,
        body: CreateRefundBody,
        response: { 200: Refund, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const refund = toRefundObject(await createRefund(ctx, tx, req.principal, req.body));
        await audit(tx, req, "refund.created", refund.id, {
          order: refund.order,
          amount: refund.amount,
          reason: refund.reason,
        });
        return refund;
      }),
  );

  app.get(
    "/v1/refunds",
    {
      config: { auth: "refunds:read" },
      schema: {
        operationId: "listRefunds",
        tags: ["Refunds"],
        summary: "List refunds",
        querystring: Type.Object(
          { ...ListQuery, order: Type.Optional(Type.String({ pattern: "^ord_[0-9A-Za-z]{24}$" })) },
          { additionalProperties: false },
        ),
        response: { 200: ListOf(Refund, "A page of refunds"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await listRefunds(ctx.pool, req.principal, req.query);
      return {
        object: "list" as const,
        data: page.data.map(toRefundObject),
        has_more: page.hasMore,
        url: "/v1/refunds",
      };
    },
  );

  app.get(
    "/v1/refunds/:id",
    {
      config: { auth: "refunds:read" },
      schema: {
        operationId: "getRefund",
        tags: ["Refunds"],
        summary: "Retrieve a refund",
        params: IdParams("^re_[0-9A-Za-z]{24}$", "Refund id (re_...)"),
        response: { 200: Refund, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => toRefundObject(await getRefund(ctx.pool, req.principal, req.params.id)),
  );
}

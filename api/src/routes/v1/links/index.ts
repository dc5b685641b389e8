/** /v1/links: reusable payment links (create, list, retrieve with analytics, deactivate). */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { audit } from "../../../audit/auditLog.ts";
import type { AppContext } from "../../../context.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { createLink, deactivateLink, getLink, listLinks, toLinkObject } from "../../../links/links.ts";
import { errors, IdempotencyHeaders, IdParams, ListOf, ListQuery } from "../../../schemas/common.ts";
import { CreateLinkBody, LinkIdPattern, PaymentLink } from "../../../schemas/link.ts";

const Params = IdParams(LinkIdPattern, "Payment link id (pl_...)");

export default async function linkRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    "/v1/links",
    {
      config: { auth: "orders:write" },
      schema: {
        operationId: "createPaymentLink",
        tags: ["Payment links"],
        summary: "Create a payment link",
        description:
          "A reusable link (`url`, print it as a QR code) that creates one order per payer: for a fixed amount, or one the payer chooses within min_amount..max_amount.",
        headers: IdempotencyHeaders,
        body: CreateLinkBody,
        response: { 200: PaymentLink, ...errors(400, 401, 403, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) =>
        toLinkObject(ctx, await createLink(tx, req.principal, req.body)),
      ),
  );

  app.get(
    "/v1/links",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "listPaymentLinks",
        tags: ["Payment links"],
        summary: "List payment links",
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: { 200: ListOf(PaymentLink, "A page of payment links"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await listLinks(ctx.pool, req.principal, req.query);
      return {
        object: "list" as const,
        data: page.data.map((l) => toLinkObject(ctx, l)),
        has_more: page.hasMore,
        url: "/v1/links",
      };
    },
  );

  app.get(
    "/v1/links/:id",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "getPaymentLink",
        tags: ["Payment links"],
        summary: "Retrieve a payment link with its analytics",
        params: Params,
        response: { 200: PaymentLink, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => toLinkObject(ctx, await getLink(ctx.pool, req.principal, req.params.id)),
  );

  app.post(
    "/v1/links/:id/deactivate",
    {
      config: { auth: "orders:write" },
      schema: {
        operationId: "deactivatePaymentLink",
        tags: ["Payment links"],
        summary: "Deactivate a payment link",
        description: "New orders are refused (409 link_inactive); orders already created are unaffected.",
        headers: IdempotencyHeaders,
        params: Params,
        response: { 200: PaymentLink, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const { link, changed } = await deactivateLink(tx, req.principal, req.params.id);
        if (changed) await audit(tx, req, "payment_link.deactivated", link.id);
        return toLinkObject(ctx, link);
      }),
  );
}

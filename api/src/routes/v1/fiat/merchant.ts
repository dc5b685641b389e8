/** GET /v1/fiat_sessions: a merchant's fiat wallet payments, declined and reversed ones included. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { listFiatSessions } from "../../../bridge/listSessions.ts";
import type { AppContext } from "../../../context.ts";
import { errors, ListOf, ListQuery } from "../../../schemas/common.ts";
import { MerchantFiatSession } from "../../../schemas/fiat.ts";
import { OrderIdPattern } from "../../../schemas/order.ts";

export default async function merchantFiatRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/v1/fiat_sessions",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "listFiatSessions",
        tags: ["Fiat"],
        summary: "List fiat wallet payments",
        description:
          "Every customer attempt to pay an order with a fiat wallet, with its status (`declined` and `reversed` leave the order payable) and incidents.",
        querystring: Type.Object(
          { ...ListQuery, order: Type.Optional(Type.String({ pattern: OrderIdPattern })) },
          { additionalProperties: false },
        ),
        response: { 200: ListOf(MerchantFiatSession, "A page of fiat sessions"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await listFiatSessions(ctx.pool, req.principal, req.query);
      return { object: "list" as const, data: page.data, has_more: page.hasMore, url: "/v1/fiat_sessions" };
    },
  );
}

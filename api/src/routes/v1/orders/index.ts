/** /v1/orders: create, list, retrieve, cancel, release early. */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { audit } from "../../../audit/auditLog.ts";
import type { AppContext } from "../../../context.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { cancelOrder } from "../../../orders/cancelOrder.ts";
import { createOrder } from "../../../orders/createOrder.ts";
import { getOrder } from "../../../orders/getOrder.ts";
import { listOrders } from "../../../orders/listOrders.ts";
import { releaseEarly } from "../../../orders/orderActions.ts";
import { toOrderObject } from "../../../orders/toOrderObject.ts";
import { errors, IdempotencyHeaders, IdParams, ListOf } from "../../../schemas/common.ts";
import { CreateOrderBody, ListOrdersQuery, OrderIdPattern } from "../../../schemas/order.ts";

const OrderRef = Type.Ref("Order");
const Params = IdParams(OrderIdPattern, "Order id (ord_...)");

export default async function orderRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    "/v1/orders",
    {
      config: { auth: "orders:write" },
      schema: {
        operationId: "createOrder",
        tags: ["Orders"],
        summary: "Create an order",
        description:
          "Stores the EIP-712 payment terms (the operator signs them when the checkout is first opened) and returns the order with its checkout URL. Give `amount` in token units, or `fiat_amount` + `fiat_currency` converted at the configured rate.",
        headers: IdempotencyHeaders,
        body: CreateOrderBody,
        response: { 200: OrderRef, ...errors(400, 401, 403, 409) },
      },
    },
    (req, reply) =>
      idempotent(
        ctx,
        req,
        reply,
        200,
        async (tx) => toOrderObject(ctx, await createOrder(ctx, tx, req.principal, req.body)),
        // createOrder writes one row in one statement: without a key it needs no transaction.
        { atomic: true },
      ),
  );

  app.get(
    "/v1/orders",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "listOrders",
        tags: ["Orders"],
        summary: "List orders",
        description:
          "Newest first. Filters: status, created[gte|gt|lte|lt] (unix seconds), metadata[key]=value.",
        querystring: ListOrdersQuery,
        response: { 200: ListOf(OrderRef, "A page of orders"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await listOrders(ctx.pool, req.principal, req.query);
      return {
        object: "list" as const,
        data: page.data.map((o) => toOrderObject(ctx, o)),
        has_more: page.hasMore,
        url: "/v1/orders",
      };
    },
  );

  app.get(
    "/v1/orders/:id",
    {
      config: { auth: "orders:read" },
      schema: {
        operationId: "getOrder",
        tags: ["Orders"],
        summary: "Retrieve an order",
        params: Params,
        response: { 200: OrderRef, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => toOrderObject(ctx, await getOrder(ctx.pool, req.principal, req.params.id)),
  );

  app.post(
    "/v1/orders/:id/cancel",
    {
      config: { auth: "orders:write" },
      schema: {
        operationId: "cancelOrder",
        tags: ["Orders"],
        summary: "Cancel an open order",
        description:
          "Stores `order.canceled`. Signed terms stay valid on chain until their deadline (see README).",
        headers: IdempotencyHeaders,
        params: Params,
        response: { 200: OrderRef, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const order = await cancelOrder(ctx, tx, req.principal, req.params.id);
        await audit(tx, req, "order.canceled", order.id, { amount: order.amount });
        return toOrderObject(ctx, order);
      }),
  );

  app.post(
    "/v1/orders/:id/release",
    {
      config: { auth: "orders:write" },
      schema: {
        operationId: "releaseOrder",
        tags: ["Orders"],
        summary: "Release an escrowed order early",
        description:
          "Queues the operator's release transaction; the order becomes `settled` (with `order.settled`) once it is mined and indexed.",
        headers: IdempotencyHeaders,
        params: Params,
        response: { 202: OrderRef, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 202, async (tx) => {
        const order = await getOrder(tx, req.principal, req.params.id, true);
        await releaseEarly(ctx, tx, order);
        await audit(tx, req, "order.released", order.id, { amount: order.amount });
        return toOrderObject(ctx, order);
      }),
  );
}

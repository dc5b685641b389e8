/** /v1/events: list (incl. not yet delivered), retrieve, delivery log, redeliver. */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import type { AppContext } from "../../../context.ts";
import {
  getEvent,
  listDeliveries,
  listEvents,
  redeliverEvent,
  toEventObject,
} from "../../../events/events.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { errors, IdempotencyHeaders, IdParams, ListOf, ListQuery } from "../../../schemas/common.ts";
import { Delivery, Event } from "../../../schemas/webhook.ts";

const Params = IdParams("^evt_[0-9A-Za-z]{24}$", "Event id (evt_...)");
const tags = ["Events"];

export default async function eventRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/v1/events",
    {
      config: { auth: "events:read" },
      schema: {
        operationId: "listEvents",
        tags,
        summary: "List events",
        description: "`delivered=false`: events with at least one webhook delivery still pending or failed.",
        querystring: Type.Object(
          {
            ...ListQuery,
            type: Type.Optional(Type.String({ maxLength: 64 })),
            order: Type.Optional(Type.String({ pattern: "^ord_[0-9A-Za-z]{24}$" })),
            delivered: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: ListOf(Event, "A page of events"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await listEvents(ctx.pool, req.principal, req.query);
      return {
        object: "list" as const,
        data: page.data.map(toEventObject),
        has_more: page.hasMore,
        url: "/v1/events",
      };
    },
  );

  app.get(
    "/v1/events/:id",
    {
      config: { auth: "events:read" },
      schema: {
        operationId: "getEvent",
        tags,
        summary: "Retrieve an event",
        params: Params,
        response: { 200: Event, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => toEventObject(await getEvent(ctx.pool, req.principal, req.params.id)),
  );

  app.get(
    "/v1/events/:id/deliveries",
    {
      config: { auth: "events:read" },
      schema: {
        operationId: "listEventDeliveries",
        tags,
        summary: "An event's webhook deliveries and every attempt",
        params: Params,
        response: {
          200: Type.Object({
            object: Type.Literal("list"),
            data: Type.Array(Delivery),
            has_more: Type.Boolean(),
            url: Type.String(),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req) => ({
      object: "list" as const,
      data: await listDeliveries(ctx.pool, req.principal, req.params.id),
      has_more: false,
      url: `/v1/events/${req.params.id}/deliveries`,
    }),
  );

  app.post(
    "/v1/events/:id/redeliver",
    {
      config: { auth: "webhooks:write" },
      schema: {
        operationId: "redeliverEvent",
        tags,
        summary: "Send an event again",
        description:
          "To one endpoint, or to every endpoint it was delivered (or meant) to. Same event id as before.",
        headers: IdempotencyHeaders,
        params: Params,
        body: Type.Optional(
          Type.Object(
            { endpoint: Type.Optional(Type.String({ pattern: "^we_[0-9A-Za-z]{24}$" })) },
            { additionalProperties: false },
          ),
        ),
        response: {
          202: Type.Object({
            object: Type.Literal("redelivery"),
            event: Type.String(),
            endpoints: Type.Integer(),
          }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 202, async (tx) => ({
        object: "redelivery" as const,
        event: req.params.id,
        endpoints: await redeliverEvent(ctx, tx, req.principal, req.params.id, req.body?.endpoint),
      })),
  );
}

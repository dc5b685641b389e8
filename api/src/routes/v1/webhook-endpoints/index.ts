/** /v1/webhook_endpoints: create, list, retrieve, update, delete, rotate the signing secret. */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { audit } from "../../../audit/auditLog.ts";
import type { AppContext } from "../../../context.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import {
  DeletedObject,
  errors,
  IdempotencyHeaders,
  IdParams,
  ListOf,
  ListQuery,
} from "../../../schemas/common.ts";
import {
  CreateEndpointBody,
  RotateSecretBody,
  UpdateEndpointBody,
  WebhookEndpoint,
} from "../../../schemas/webhook.ts";
import {
  createEndpoint,
  deleteEndpoint,
  type EndpointRow,
  getEndpoint,
  listEndpoints,
  rotateSecret,
  toEndpointObject,
  updateEndpoint,
} from "../../../webhooks/endpoints.ts";

/** What the audit log keeps of an endpoint before and after a change (never its secret). */
const endpointState = (row: EndpointRow) => ({
  url: row.url,
  enabled_events: row.enabled_events,
  status: row.disabled ? "disabled" : "enabled",
});

const Params = IdParams("^we_[0-9A-Za-z]{24}$", "Webhook endpoint id (we_...)");
const tags = ["Webhook endpoints"];

export default async function webhookEndpointRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    "/v1/webhook_endpoints",
    {
      config: { auth: "webhooks:write" },
      schema: {
        operationId: "createWebhookEndpoint",
        tags,
        summary: "Create a webhook endpoint",
        description:
          "Returns the signing secret once. Live mode: https only, no private/loopback addresses. Test mode also allows http and loopback.",
        headers: IdempotencyHeaders,
        body: CreateEndpointBody,
        response: { 200: WebhookEndpoint, ...errors(400, 401, 403, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const { row, secret } = await createEndpoint(tx, req.principal, req.body);
        await audit(tx, req, "webhook_endpoint.created", row.id, { after: endpointState(row) });
        return toEndpointObject(row, secret);
      }),
  );

  app.get(
    "/v1/webhook_endpoints",
    {
      config: { auth: "webhooks:read" },
      schema: {
        operationId: "listWebhookEndpoints",
        tags,
        summary: "List webhook endpoints",
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: { 200: ListOf(WebhookEndpoint, "A page of endpoints"), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await listEndpoints(ctx.pool, req.principal, req.query);
      return {
        object: "list" as const,
        data: page.data.map((r) => toEndpointObject(r)),
        has_more: page.hasMore,
        url: "/v1/webhook_endpoints",
      };
    },
  );

  app.get(
    "/v1/webhook_endpoints/:id",
    {
      config: { auth: "webhooks:read" },
      schema: {
        operationId: "getWebhookEndpoint",
        tags,
        summary: "Retrieve a webhook endpoint",
        params: Params,
        response: { 200: WebhookEndpoint, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => toEndpointObject(await getEndpoint(ctx.pool, req.principal, req.params.id)),
  );

  app.post(
    "/v1/webhook_endpoints/:id",
    {
      config: { auth: "webhooks:write" },
      schema: {
        operationId: "updateWebhookEndpoint",
        tags,
        summary: "Update a webhook endpoint",
        headers: IdempotencyHeaders,
        params: Params,
        body: UpdateEndpointBody,
        response: { 200: WebhookEndpoint, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const before = await getEndpoint(tx, req.principal, req.params.id, true);
        const after = await updateEndpoint(tx, req.principal, req.params.id, req.body);
        await audit(tx, req, "webhook_endpoint.updated", after.id, {
          before: endpointState(before),
          after: endpointState(after),
        });
        return toEndpointObject(after);
      }),
  );

  app.delete(
    "/v1/webhook_endpoints/:id",
    {
      config: { auth: "webhooks:write" },
      schema: {
        operationId: "deleteWebhookEndpoint",
        tags,
        summary: "Delete a webhook endpoint",
        description: "Pending deliveries to it stop.",
        params: Params,
        response: { 200: DeletedObject("webhook_endpoint"), ...errors(400, 401, 403, 404) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const before = await getEndpoint(tx, req.principal, req.params.id, true);
        await deleteEndpoint(tx, req.principal, req.params.id);
        await audit(tx, req, "webhook_endpoint.deleted", req.params.id, { before: endpointState(before) });
        return { id: req.params.id, object: "webhook_endpoint" as const, deleted: true as const };
      }),
  );

  app.post(
    "/v1/webhook_endpoints/:id/rotate_secret",
    {
      config: { auth: "webhooks:write" },
      schema: {
        operationId: "rotateWebhookEndpointSecret",
        tags,
        summary: "Rotate the signing secret",
        description:
          "Returns the new secret. The old one keeps signing (a second `v1` in Pier-Signature) for `expires_in` seconds (default 24 h).",
        headers: IdempotencyHeaders,
        params: Params,
        body: RotateSecretBody,
        response: { 200: WebhookEndpoint, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const { row, secret } = await rotateSecret(
          tx,
          req.principal,
          req.params.id,
          req.body?.expires_in ?? 86_400,
        );
        await audit(tx, req, "webhook_endpoint.secret_rotated", row.id, {
          old_secret_expires_in: req.body?.expires_in ?? 86_400,
        });
        return toEndpointObject(row, secret);
      }),
  );
}

/** /v1/keys: create, list, retrieve, revoke and roll API keys. */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { audit } from "../../../audit/auditLog.ts";
import type { AppContext } from "../../../context.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import {
  assertCanGrant,
  createApiKey,
  getApiKey,
  listApiKeys,
  revokeApiKey,
  rollApiKey,
  toApiKeyObject,
} from "../../../keys/apiKeys.ts";
import { errors, IdempotencyHeaders, IdParams, ListOf, ListQuery } from "../../../schemas/common.ts";
import { ApiKey, CreateKeyBody, RollKeyBody } from "../../../schemas/key.ts";

const Params = IdParams("^key_[0-9A-Za-z]{24}$", "API key id (key_...)");

export default async function keyRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    "/v1/keys",
    {
      config: { auth: "keys:write" },
      schema: {
        operationId: "createApiKey",
        tags: ["API keys"],
        summary: "Create an API key",
        description:
          "The secret is in this response only. A restricted key cannot create keys with more access than itself.",
        headers: IdempotencyHeaders,
        body: CreateKeyBody,
        response: { 200: ApiKey, ...errors(400, 401, 403, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const type = (req.body.type ?? "restricted") as "secret" | "restricted";
        assertCanGrant(req.principal, type, req.body.scopes);
        const { row, secret } = await createApiKey(tx, {
          merchantId: req.principal.merchantId,
          livemode: req.principal.livemode,
          name: req.body.name,
          type,
          scopes: req.body.scopes,
        });
        await audit(tx, req, "api_key.created", row.id, {
          name: row.name,
          type: row.type,
          scopes: row.scopes,
        });
        return toApiKeyObject(row, secret);
      }),
  );

  app.get(
    "/v1/keys",
    {
      config: { auth: "keys:read" },
      schema: {
        operationId: "listApiKeys",
        tags: ["API keys"],
        summary: "List API keys",
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: {
          200: ListOf(ApiKey, "A page of keys (secrets never included)"),
          ...errors(400, 401, 403),
        },
      },
    },
    async (req) => {
      const page = await listApiKeys(ctx.pool, req.principal, req.query);
      return {
        object: "list" as const,
        data: page.data.map((r) => toApiKeyObject(r)),
        has_more: page.hasMore,
        url: "/v1/keys",
      };
    },
  );

  app.get(
    "/v1/keys/:id",
    {
      config: { auth: "keys:read" },
      schema: {
        operationId: "getApiKey",
        tags: ["API keys"],
        summary: "Retrieve an API key",
        params: Params,
        response: { 200: ApiKey, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => toApiKeyObject(await getApiKey(ctx.pool, req.principal, req.params.id)),
  );

  app.post(
    "/v1/keys/:id/revoke",
    {
      config: { auth: "keys:write" },
      schema: {
        operationId: "revokeApiKey",
        tags: ["API keys"],
        summary: "Revoke an API key",
        description: "Takes effect on the next request.",
        headers: IdempotencyHeaders,
        params: Params,
        response: { 200: ApiKey, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const row = await revokeApiKey(tx, req.principal, req.params.id);
        await audit(tx, req, "api_key.revoked", row.id, { name: row.name });
        return toApiKeyObject(row);
      }),
  );

  app.post(
    "/v1/keys/:id/roll",
    {
      config: { auth: "keys:write" },
      schema: {
        operationId: "rollApiKey",
        tags: ["API keys"],
        summary: "Roll an API key",
        description:
          "Creates a new secret with the same access; the old key expires now or after `expires_in` seconds.",
        headers: IdempotencyHeaders,
        params: Params,
        body: RollKeyBody,
        response: { 200: ApiKey, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const { row, secret } = await rollApiKey(tx, req.principal, req.params.id, req.body?.expires_in ?? 0);
        await audit(tx, req, "api_key.rolled", req.params.id, {
          new_key: row.id,
          old_key_expires_in: req.body?.expires_in ?? 0,
        });
        return toApiKeyObject(row, secret);
      }),
  );
}

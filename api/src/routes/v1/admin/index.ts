/**
 * /v1/admin: operator routes guarded by PIER_ADMIN_KEY (not a merchant key): create and list merchants,
 * create a merchant's API keys, resolve disputes as the arbiter, place or lift risk holds.
 */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { audit, requestActor } from "../../../audit/auditLog.ts";
import { requestedMode } from "../../../chain/networks.ts";
import type { AppContext } from "../../../context.ts";
import { NotFoundError } from "../../../errors.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { createApiKey, toApiKeyObject } from "../../../keys/apiKeys.ts";
import {
  createMerchant,
  getMerchant,
  listMerchants,
  toMerchantObject,
} from "../../../merchants/merchants.ts";
import { getOrderForAdmin, resolveDispute, setHold } from "../../../orders/orderActions.ts";
import { toOrderObject } from "../../../orders/toOrderObject.ts";
import {
  Address,
  errors,
  IdempotencyHeaders,
  IdParams,
  ListOf,
  ListQuery,
  TokenAmount,
} from "../../../schemas/common.ts";
import { ApiKey, CreateKeyBody } from "../../../schemas/key.ts";
import { AdminMerchant, Merchant } from "../../../schemas/merchant.ts";
import { OrderIdPattern } from "../../../schemas/order.ts";

const tags = ["Admin"];
const Params = IdParams(OrderIdPattern, "Order id (ord_...)");
const OrderRef = Type.Ref("Order");

export default async function adminRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    "/v1/admin/merchants",
    {
      config: { auth: "admin" },
      schema: {
        operationId: "createMerchant",
        tags,
        summary: "Create a merchant and its first secret key",
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            payout_address: Address,
            owner_address: Type.Optional({
              ...Address,
              description: "Dashboard sign-in wallet; default: payout_address.",
            }),
            livemode: Type.Optional(
              Type.Boolean({
                description:
                  "Mode of the first key (default: the first network's). Keys of the other mode are made from a dashboard session signed in to it.",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ merchant: Merchant, secret_key: Type.String({ description: "Shown once." }) }),
          ...errors(400, 401, 403, 409),
        },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const livemode = requestedMode(ctx.networks, req.body.livemode);
        const created = await createMerchant(
          tx,
          {
            name: req.body.name,
            payoutAddress: req.body.payout_address,
            ownerAddress: req.body.owner_address,
            livemode,
          },
          { actor: requestActor(req), requestId: req.id },
        );
        return {
          merchant: toMerchantObject(created.merchant, livemode),
          secret_key: created.secret,
        };
      }),
  );

  app.get(
    "/v1/admin/merchants",
    {
      config: { auth: "admin" },
      schema: {
        tags,
        operationId: "listMerchants",
        summary: "List every merchant of this instance",
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: {
          200: ListOf(AdminMerchant, "A page of merchants, newest first"),
          ...errors(400, 401, 403),
        },
      },
    },
    async (req) => {
      const page = await listMerchants(ctx.pool, req.query);
      return {
        object: "list" as const,
        data: page.data.map((m) => ({
          id: m.id,
          object: "merchant" as const,
          name: m.name,
          payout_address: m.payout_address,
          owner_address: m.owner_address,
          created: Math.floor(m.created_at.getTime() / 1000),
        })),
        has_more: page.hasMore,
        url: "/v1/admin/merchants",
      };
    },
  );

  app.post(
    "/v1/admin/keys",
    {
      config: { auth: "admin" },
      schema: {
        tags,
        operationId: "createMerchantKey",
        summary: "Create an API key for a merchant",
        description:
          "Like POST /v1/keys, for any merchant, with `type` defaulting to `secret`. The secret is in this response only.",
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            ...CreateKeyBody.properties,
            merchant: Type.String({
              pattern: "^mer_[0-9A-Za-z]{24}$",
              description: "The merchant (mer_...).",
            }),
            type: Type.Optional(Type.String({ enum: ["secret", "restricted"], default: "secret" })),
            livemode: Type.Optional(
              Type.Boolean({ description: "The key's mode (default: the first network's)." }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: ApiKey, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        const livemode = requestedMode(ctx.networks, req.body.livemode);
        const merchant = await getMerchant(tx, req.body.merchant).catch((error) => {
          throw error instanceof NotFoundError
            ? new NotFoundError("merchant", req.body.merchant, "merchant")
            : error;
        });
        const { row, secret } = await createApiKey(tx, {
          merchantId: merchant.id,
          livemode,
          name: req.body.name,
          type: (req.body.type ?? "secret") as "secret" | "restricted",
          scopes: req.body.scopes,
        });
        return toApiKeyObject(row, secret);
      }),
  );

  app.post(
    "/v1/admin/orders/:id/resolve",
    {
      config: { auth: "admin" },
      schema: {
        operationId: "resolveOrderDispute",
        tags,
        summary: "Resolve a disputed (or held) order as the arbiter",
        description:
          "`refund_amount` goes back to the payer, the rest to the merchant net of fee. Queued for the arbiter key.",
        headers: IdempotencyHeaders,
        params: Params,
        body: Type.Object({ refund_amount: TokenAmount }, { additionalProperties: false }),
        response: { 202: OrderRef, ...errors(400, 401, 403, 404, 409, 503) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 202, async (tx) => {
        const order = await getOrderForAdmin(tx, req.params.id);
        await resolveDispute(ctx, tx, order, BigInt(req.body.refund_amount));
        await audit(
          tx,
          req,
          "dispute.resolved",
          order.id,
          { refund_amount: req.body.refund_amount },
          { merchantId: order.merchant_id, livemode: order.livemode },
        );
        return toOrderObject(ctx, order);
      }),
  );

  app.post(
    "/v1/admin/orders/:id/hold",
    {
      config: { auth: "admin" },
      schema: {
        operationId: "holdOrder",
        tags,
        summary: "Place or lift a risk hold",
        description:
          "A held payment cannot be released (the keeper skips it) until the hold is lifted or resolved.",
        headers: IdempotencyHeaders,
        params: Params,
        body: Type.Object({ held: Type.Boolean() }, { additionalProperties: false }),
        response: { 202: OrderRef, ...errors(400, 401, 403, 404, 409) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 202, async (tx) => {
        const order = await getOrderForAdmin(tx, req.params.id);
        await setHold(ctx, tx, order, req.body.held);
        await audit(
          tx,
          req,
          req.body.held ? "risk.hold_placed" : "risk.hold_lifted",
          order.id,
          {},
          { merchantId: order.merchant_id, livemode: order.livemode },
        );
        return toOrderObject(ctx, order);
      }),
  );
}

/** GET /v1/merchant: the merchant account the key belongs to. */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import type { AppContext } from "../../../context.ts";
import { getMerchant, toMerchantObject } from "../../../merchants/merchants.ts";
import { Address, errors, UnixTime } from "../../../schemas/common.ts";

export const Merchant = Type.Object({
  id: Type.String(),
  object: Type.Literal("merchant"),
  livemode: Type.Boolean(),
  name: Type.String(),
  payout_address: Address,
  created: UnixTime,
});

export default async function merchantRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/v1/merchant",
    {
      config: { auth: "any" },
      schema: {
        tags: ["Merchant"],
        summary: "Retrieve your merchant account",
        response: { 200: Merchant, ...errors(401) },
      },
    },
    async (req) =>
      toMerchantObject(await getMerchant(ctx.pool, req.principal.merchantId), req.principal.livemode),
  );
}

/** GET /v1/merchant: the merchant account the key belongs to. */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../../context.ts";
import { creditedBalancesOf } from "../../../credits/credits.ts";
import { getMerchant, toMerchantObject } from "../../../merchants/merchants.ts";
import { errors } from "../../../schemas/common.ts";
import { Merchant } from "../../../schemas/merchant.ts";

export default async function merchantRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/v1/merchant",
    {
      config: { auth: "any" },
      schema: {
        operationId: "getMerchant",
        tags: ["Merchant"],
        summary: "Retrieve your merchant account",
        response: { 200: Merchant, ...errors(401) },
      },
    },
    async (req) => {
      const merchant = await getMerchant(ctx.pool, req.principal.merchantId);
      const credited = await creditedBalancesOf(ctx, ctx.pool, merchant.payout_address);
      return toMerchantObject(merchant, req.principal.livemode, credited);
    },
  );
}

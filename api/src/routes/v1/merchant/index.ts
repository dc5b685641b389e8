/** GET /v1/merchant: the merchant account the key belongs to. */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import type { AppContext } from "../../../context.ts";
import { creditedBalancesOf } from "../../../credits/credits.ts";
import { getMerchant, toMerchantObject } from "../../../merchants/merchants.ts";
import { Address, errors, TokenAmount, UnixTime } from "../../../schemas/common.ts";

export const Merchant = Type.Object({
  id: Type.String(),
  object: Type.Literal("merchant"),
  livemode: Type.Boolean(),
  name: Type.String(),
  payout_address: Address,
  credited_balances: Type.Array(
    Type.Object({
      token: Address,
      symbol: Type.Union([Type.String(), Type.Null()], {
        description: "Null for a token other than the API's.",
      }),
      decimals: Type.Union([Type.Integer(), Type.Null()]),
      amount: TokenAmount,
    }),
    {
      description:
        "Payouts to your payout address that the token refused (the issuer blacklisted it, or paused the token), held by the escrow as credits. They can only ever be paid to that address; Pier's keeper pays them as soon as the token allows (`credit.paid_out`). Empty when nothing is owed.",
    },
  ),
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
    async (req) => {
      const merchant = await getMerchant(ctx.pool, req.principal.merchantId);
      const credited = await creditedBalancesOf(ctx, ctx.pool, merchant.payout_address);
      return toMerchantObject(merchant, req.principal.livemode, credited);
    },
  );
}

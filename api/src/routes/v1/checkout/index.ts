/** GET /v1/checkout/:id: the public part of an order, for the hosted checkout page (no secret key). */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../../context.ts";
import { getCheckoutOrder } from "../../../orders/getCheckout.ts";
import { toCheckoutObject } from "../../../orders/toOrderObject.ts";
import { errors, IdParams } from "../../../schemas/common.ts";
import { Checkout, OrderIdPattern } from "../../../schemas/order.ts";

export default async function checkoutRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/v1/checkout/:id",
    {
      config: { auth: "public" },
      schema: {
        tags: ["Checkout"],
        summary: "Public checkout data of an order",
        description:
          "What a browser needs to pay: amount, token, escrow, signed terms and signature; once paid, the escrow's Payment record (for dispute()). Order ids are unguessable; no merchant data beyond the display name.",
        params: IdParams(OrderIdPattern, "Order id (ord_...)"),
        response: { 200: Checkout, ...errors(400, 404) },
      },
    },
    async (req) => {
      const row = await getCheckoutOrder(ctx.pool, req.params.id);
      return toCheckoutObject(ctx, row, row.merchant_name);
    },
  );
}

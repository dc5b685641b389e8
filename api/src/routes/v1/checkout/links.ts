/**
 * Public payment-link routes for the link page (/l/:linkId): read the link, and create the payer's own
 * order from it (then the browser goes to /pay/:orderId). No key: link ids are unguessable, and the
 * order is created for the link's merchant under the link's rules.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { homeNetwork } from "../../../chain/networks.ts";
import type { AppContext } from "../../../context.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { createLinkOrder, getPublicLink } from "../../../links/links.ts";
import { errors, IdempotencyHeaders, IdParams } from "../../../schemas/common.ts";
import { LinkIdPattern, LinkOrder, LinkOrderBody, PublicLink } from "../../../schemas/link.ts";

const Params = IdParams(LinkIdPattern, "Payment link id (pl_...)");

export default async function checkoutLinkRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/v1/checkout_links/:id",
    {
      config: { auth: "public" },
      schema: {
        operationId: "getCheckoutLink",
        tags: ["Checkout"],
        summary: "Public view of a payment link",
        params: Params,
        response: { 200: PublicLink, ...errors(400, 404) },
      },
    },
    async (req) => {
      const l = await getPublicLink(ctx.pool, req.params.id);
      const { token } = homeNetwork(ctx.networks, l.livemode);
      return {
        id: l.id,
        object: "payment_link" as const,
        merchant_name: l.merchant_name,
        amount_type: l.amount_type,
        amount: l.amount,
        min_amount: l.min_amount,
        max_amount: l.max_amount,
        description: l.description,
        active: l.active,
        currency: token.symbol,
        decimals: token.decimals,
      };
    },
  );

  app.post(
    "/v1/checkout_links/:id/orders",
    {
      config: { auth: "public" },
      schema: {
        operationId: "createCheckoutLinkOrder",
        tags: ["Checkout"],
        summary: "Create the payer's order from a payment link",
        description:
          "One order per call (per payer), for the link's amount or `amount` within its limits; then open `checkout_url`. 409 link_inactive once deactivated; risk rules apply (400 risk_blocked).",
        headers: IdempotencyHeaders,
        params: Params,
        body: LinkOrderBody,
        response: { 200: LinkOrder, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) => {
      const link = await getPublicLink(ctx.pool, req.params.id);
      // Idempotency keys of a link's payers are scoped to the link's merchant, like its orders.
      req.principal = {
        keyId: `link:${link.id}`,
        merchantId: link.merchant_id,
        livemode: link.livemode,
        scopes: [],
      };
      return idempotent(ctx, req, reply, 200, async (tx) => {
        const order = await createLinkOrder(ctx, tx, req.params.id, req.body ?? {});
        return { order: order.id, checkout_url: `${ctx.config.checkoutBaseUrl}/pay/${order.id}` };
      });
    },
  );
}

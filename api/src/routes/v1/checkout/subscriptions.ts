/**
 * Public subscription checkout for the hosted page (/s/:id), no API key (subscription ids are
 * unguessable): the plan and the options to pay with, the spend permission to sign, and the
 * authorization with the customer's signature (subscriptions/checkout.ts).
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../../context.ts";
import { errors, IdParams } from "../../../schemas/common.ts";
import {
  AuthorizeBody,
  CheckoutSubscription,
  PermissionRequestBody,
  PermissionToSign,
  Subscription,
  SubscriptionIdPattern,
} from "../../../schemas/subscription.ts";
import {
  authorizeSubscription,
  getCheckoutSubscription,
  requestPermission,
} from "../../../subscriptions/checkout.ts";
import { toSubscriptionObject } from "../../../subscriptions/subscriptions.ts";

const Params = IdParams(SubscriptionIdPattern, "Subscription id (sub_...)");

export default async function checkoutSubscriptionRoutes(
  fastify: FastifyInstance,
  { ctx }: { ctx: AppContext },
) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/v1/checkout_subscriptions/:id",
    {
      config: { auth: "public" },
      schema: {
        operationId: "getCheckoutSubscription",
        tags: ["Checkout"],
        summary: "Public view of a subscription",
        description:
          "The plan (amount, currency, interval, trial), the merchant's display name and the options the customer may pay with: each network with SpendPermissions and each of its tokens pegged to the plan's currency.",
        params: Params,
        response: { 200: CheckoutSubscription, ...errors(400, 404) },
      },
    },
    async (req) => getCheckoutSubscription(ctx, req.params.id),
  );

  app.post(
    "/v1/checkout_subscriptions/:id/permission",
    {
      config: { auth: "public" },
      schema: {
        operationId: "requestSubscriptionPermission",
        tags: ["Checkout"],
        summary: "The spend permission the customer signs",
        description:
          "EIP-712 typed data for eth_signTypedData_v4: at most the plan's amount of `token` per period, until `end`, chargeable only by Pier's operator for the merchant. The same request within the hour answers the same typed data. 409 unless the subscription is incomplete.",
        params: Params,
        body: PermissionRequestBody,
        response: { 200: PermissionToSign, ...errors(400, 404, 409) },
      },
    },
    async (req) => requestPermission(ctx, req.params.id, req.body),
  );

  app.post(
    "/v1/checkout_subscriptions/:id/authorize",
    {
      config: { auth: "public" },
      schema: {
        operationId: "authorizeSubscription",
        tags: ["Checkout"],
        summary: "Authorize the subscription with the customer's signature",
        description:
          "Verifies the signature of the permission (EOA, ERC-1271 smart wallet, or ERC-6492 for a wallet not deployed yet), stores it and starts the subscription (trialing or active; event subscription.activated). The same signature again answers the subscription unchanged. 400 signature_invalid; 409 subscription_authorized (another account or permission), subscription_canceled, permission_not_requested, permission_expired.",
        params: Params,
        body: AuthorizeBody,
        response: { 200: Subscription, ...errors(400, 404, 409, 503) },
      },
    },
    async (req) => toSubscriptionObject(ctx, await authorizeSubscription(ctx, req.params.id, req.body)),
  );
}

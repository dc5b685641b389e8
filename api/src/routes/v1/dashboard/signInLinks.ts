/**
 * One-time dashboard sign-in links (sessions/signInLink.ts), test mode only:
 *   POST /v1/admin/dashboard_sign_in_links (admin key) mints one for a merchant's owner;
 *   POST /v1/dashboard/sign_in_links/redeem (public: the token is the credential) exchanges it for the
 *   same session cookie a Sign-In with Ethereum sets. The dashboard page /dashboard/sign-in?token=...
 *   calls the latter; `pier dashboard` the former.
 */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { servesMode } from "../../../chain/networks.ts";
import type { AppContext } from "../../../context.ts";
import { idempotent } from "../../../idempotency/idempotent.ts";
import { errors, IdempotencyHeaders, UnixTime } from "../../../schemas/common.ts";
import { dashboardOrigin } from "../../../sessions/dashboardOrigin.ts";
import { setSessionCookie } from "../../../sessions/sessionCookie.ts";
import {
  assertTestModeOnly,
  mintSignInLink,
  redeemSignInLink,
  SIGN_IN_LINK_TTL_SECONDS,
} from "../../../sessions/signInLink.ts";

const MerchantId = Type.String({ pattern: "^mer_[0-9A-Za-z]{24}$" });

const SignInLinkObject = Type.Object({
  object: Type.Literal("dashboard_sign_in_link"),
  id: Type.String(),
  merchant: Type.String({ description: "The merchant whose owner the link signs in as." }),
  url: Type.String({ description: "Open it in a browser: signs in once, then the link is spent." }),
  token: Type.String({ description: "The link's secret (part of `url`); stored only hashed." }),
  expires_at: UnixTime,
});

export default async function signInLinkRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const origin = dashboardOrigin(ctx.config.dashboardUrl);
  const servesLive = () => servesMode(ctx.networks, true);

  app.post(
    "/v1/admin/dashboard_sign_in_links",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["Admin"],
        operationId: "createDashboardSignInLink",
        summary: "Mint a one-time dashboard sign-in link (test mode only)",
        description: `Signs in as the merchant's owner, once, within ${SIGN_IN_LINK_TTL_SECONDS / 60} minutes, into a test-mode session. Refused (403 sign_in_link_live_mode) when this instance serves any live network. \`merchant\` defaults to the oldest merchant.`,
        headers: IdempotencyHeaders,
        body: Type.Optional(
          Type.Object({ merchant: Type.Optional(MerchantId) }, { additionalProperties: false }),
        ),
        response: { 200: SignInLinkObject, ...errors(400, 401, 403, 404) },
      },
    },
    (req, reply) =>
      idempotent(ctx, req, reply, 200, async (tx) => {
        assertTestModeOnly(servesLive());
        const link = await mintSignInLink(tx, { merchantId: req.body?.merchant, now: new Date() });
        req.log.info({ linkId: link.id, merchantId: link.merchantId }, "dashboard sign-in link minted");
        return {
          object: "dashboard_sign_in_link" as const,
          id: link.id,
          merchant: link.merchantId,
          url: `${origin.origin}/dashboard/sign-in?token=${link.token}`,
          token: link.token,
          expires_at: Math.floor(link.expiresAt.getTime() / 1000),
        };
      }),
  );

  app.post(
    "/v1/dashboard/sign_in_links/redeem",
    {
      config: { auth: "public" },
      schema: {
        tags: ["Dashboard"],
        operationId: "redeemDashboardSignInLink",
        summary: "Sign in with a one-time link's token (test mode only)",
        description:
          "Sets the `pier_session` cookie (HttpOnly, SameSite=Strict) of a test-mode session of the merchant's owner; then read GET /v1/dashboard/session. A used, expired or unknown token is a 401 (sign_in_link_used, sign_in_link_expired, sign_in_link_invalid) and changes nothing.",
        body: Type.Object({ token: Type.String({ maxLength: 100 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            object: Type.Literal("dashboard_sign_in_link"),
            redeemed: Type.Literal(true),
            merchant: Type.String(),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (req, reply) => {
      assertTestModeOnly(servesLive());
      const { session, token } = await redeemSignInLink(ctx.pool, req.body.token, new Date());
      req.log.info({ sessionId: session.id, merchantId: session.merchant_id }, "dashboard sign-in by link");
      setSessionCookie(reply, token, origin.secure);
      return {
        object: "dashboard_sign_in_link" as const,
        redeemed: true as const,
        merchant: session.merchant_id,
      };
    },
  );
}

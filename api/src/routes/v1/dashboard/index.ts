/**
 * /v1/dashboard: the merchant dashboard's sign-in. Sign-In with Ethereum by a team member's wallet
 * (nonce, then the signed message) sets an HttpOnly, SameSite=Strict session cookie; passkeys registered
 * from a session then step the session up for sensitive actions (see sessions/sessionAuth.ts).
 */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import type { Hex } from "viem";
import { homeNetwork, requestedMode } from "../../../chain/networks.ts";
import type { AppContext } from "../../../context.ts";
import { getMerchant } from "../../../merchants/merchants.ts";
import { errors } from "../../../schemas/common.ts";
import { DashboardSession, Passkey, SiweNonce, WebAuthnOptions } from "../../../schemas/dashboard.ts";
import { dashboardOrigin } from "../../../sessions/dashboardOrigin.ts";
import { StepUpRequiredError } from "../../../sessions/errors.ts";
import {
  authenticationOptions,
  listPasskeys,
  registrationOptions,
  toPasskeyObject,
  verifyAuthentication,
  verifyRegistration,
} from "../../../sessions/passkeys.ts";
import { clearSessionCookie, setSessionCookie } from "../../../sessions/sessionCookie.ts";
import { revokeSession, type SessionRow, stepUpFresh, stepUpUntil } from "../../../sessions/sessions.ts";
import { issueNonce, signIn } from "../../../sessions/siwe.ts";
import { rolePermissions } from "../../../team/roles.ts";

const tags = ["Dashboard"];
const AnyObject = Type.Object({}, { additionalProperties: true });

export default async function dashboardRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const origin = dashboardOrigin(ctx.config.dashboardUrl);

  async function sessionObject(session: SessionRow) {
    const [merchant, passkeys] = await Promise.all([
      getMerchant(ctx.pool, session.merchant_id),
      listPasskeys(ctx.pool, session),
    ]);
    return {
      object: "dashboard_session" as const,
      merchant: { id: merchant.id, name: merchant.name, payout_address: merchant.payout_address },
      address: session.address,
      role: session.role,
      permissions: [...rolePermissions(session.role, session.livemode)],
      livemode: session.livemode,
      chain_id: homeNetwork(ctx.networks, session.livemode).chainId,
      csrf_token: session.csrf_token,
      expires_at: Math.floor(session.expires_at.getTime() / 1000),
      passkeys: passkeys.length,
      step_up_until: stepUpUntil(session),
    };
  }

  app.post(
    "/v1/dashboard/siwe/nonce",
    {
      config: { auth: "public" },
      schema: {
        operationId: "createSiweNonce",
        tags,
        summary: "Start a Sign-In with Ethereum",
        description:
          "A single-use nonce (10 minutes) and the domain, URI and chain the message must name. The chain picks the session's mode: `livemode` asks for the live network's (default: the first network's mode).",
        body: Type.Optional(
          Type.Object({ livemode: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        ),
        response: { 200: SiweNonce, ...errors(400, 429) },
      },
    },
    async (req) => {
      const livemode = requestedMode(ctx.networks, req.body?.livemode);
      return issueNonce(ctx.pool, origin, homeNetwork(ctx.networks, livemode).chainId);
    },
  );

  app.post(
    "/v1/dashboard/siwe/verify",
    {
      config: { auth: "public" },
      schema: {
        operationId: "verifySiwe",
        tags,
        summary: "Sign in with a signed EIP-4361 message",
        description:
          "Checks domain, URI, chain, nonce (single use), validity window and the signature of a team member's wallet (or of a wallet with an open invitation, which this accepts), then sets the `pier_session` cookie (HttpOnly, SameSite=Strict). A refused message changes nothing.",
        body: Type.Object(
          {
            message: Type.String({ minLength: 1, maxLength: 4096 }),
            signature: Type.String({ pattern: "^0x[0-9a-fA-F]+$", maxLength: 20_000 }),
            merchant: Type.Optional(Type.String({ pattern: "^mer_[0-9A-Za-z]{24}$" })),
          },
          { additionalProperties: false },
        ),
        response: { 200: DashboardSession, ...errors(400, 401) },
      },
    },
    async (req, reply) => {
      const { session, token } = await signIn(
        {
          pool: ctx.pool,
          origin,
          networks: [...ctx.networks.homes.values()],
          requestId: req.id,
        },
        { message: req.body.message, signature: req.body.signature as Hex, merchantId: req.body.merchant },
      );
      req.log.info({ sessionId: session.id, merchantId: session.merchant_id }, "dashboard sign-in");
      setSessionCookie(reply, token, origin.secure);
      return sessionObject(session);
    },
  );

  app.get(
    "/v1/dashboard/session",
    {
      config: { auth: "session" },
      schema: {
        operationId: "getDashboardSession",
        tags,
        summary: "The current dashboard session",
        response: { 200: DashboardSession, ...errors(401) },
      },
    },
    async (req) => sessionObject(req.dashboardSession!),
  );

  app.post(
    "/v1/dashboard/logout",
    {
      config: { auth: "session" },
      schema: {
        operationId: "logoutDashboard",
        tags,
        summary: "Sign out (ends the session everywhere it is used)",
        response: {
          200: Type.Object({ object: Type.Literal("dashboard_session"), ended: Type.Literal(true) }),
          ...errors(401, 403),
        },
      },
    },
    async (req, reply) => {
      await revokeSession(ctx.pool, req.dashboardSession!.id);
      clearSessionCookie(reply, origin.secure);
      return { object: "dashboard_session" as const, ended: true as const };
    },
  );

  app.get(
    "/v1/dashboard/passkeys",
    {
      config: { auth: "session" },
      schema: {
        operationId: "listPasskeys",
        tags,
        summary: "The signed-in member's passkeys",
        response: {
          200: Type.Object({
            object: Type.Literal("list"),
            data: Type.Array(Passkey),
            has_more: Type.Boolean(),
          }),
          ...errors(401),
        },
      },
    },
    async (req) => ({
      object: "list" as const,
      data: (await listPasskeys(ctx.pool, req.dashboardSession!)).map(toPasskeyObject),
      has_more: false,
    }),
  );

  app.post(
    "/v1/dashboard/passkeys/registration/options",
    {
      config: { auth: "session" },
      schema: {
        operationId: "createPasskeyRegistrationOptions",
        tags,
        summary: "Options to create a passkey (WebAuthn)",
        description: "Adding a second passkey needs a fresh assertion of an existing one (step-up).",
        response: { 200: WebAuthnOptions, ...errors(401, 403) },
      },
    },
    async (req) => {
      const session = req.dashboardSession!;
      const merchant = await getMerchant(ctx.pool, session.merchant_id);
      const existing = await listPasskeys(ctx.pool, session);
      if (existing.length > 0 && !stepUpFresh(session)) throw new StepUpRequiredError();
      return registrationOptions(ctx.pool, origin, session, merchant.name);
    },
  );

  app.post(
    "/v1/dashboard/passkeys/registration/verify",
    {
      config: { auth: "session" },
      schema: {
        operationId: "verifyPasskeyRegistration",
        tags,
        summary: "Register the passkey the browser created",
        body: Type.Object(
          { response: AnyObject, name: Type.Optional(Type.String({ maxLength: 100 })) },
          { additionalProperties: false },
        ),
        response: { 200: Passkey, ...errors(400, 401, 403) },
      },
    },
    async (req) =>
      toPasskeyObject(
        await verifyRegistration(
          ctx.pool,
          origin,
          req.dashboardSession!,
          req.body.response as unknown as RegistrationResponseJSON,
          req.body.name?.trim() || "Passkey",
        ),
      ),
  );

  app.post(
    "/v1/dashboard/passkeys/authentication/options",
    {
      config: { auth: "session" },
      schema: {
        operationId: "createPasskeyAuthenticationOptions",
        tags,
        summary: "Options to confirm with a passkey (step-up)",
        response: { 200: WebAuthnOptions, ...errors(400, 401, 403) },
      },
    },
    async (req) => authenticationOptions(ctx.pool, origin, req.dashboardSession!),
  );

  app.post(
    "/v1/dashboard/passkeys/authentication/verify",
    {
      config: { auth: "session" },
      schema: {
        operationId: "verifyPasskeyAuthentication",
        tags,
        summary: "Confirm with a passkey: sensitive actions are allowed for five minutes",
        body: Type.Object({ response: AnyObject }, { additionalProperties: false }),
        response: { 200: DashboardSession, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const session = req.dashboardSession!;
      const at = await verifyAuthentication(
        ctx.pool,
        origin,
        session,
        req.body.response as unknown as AuthenticationResponseJSON,
      );
      return sessionObject({ ...session, step_up_at: at });
    },
  );
}

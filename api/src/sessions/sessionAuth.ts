/**
 * The dashboard session as a way to call merchant routes: a valid `pier_session` cookie acts as the
 * merchant, limited by the signed-in member's role (team/roles.ts: the route's permission from
 * team/routePermissions.ts, 403 role_forbidden otherwise), with two extra rules for a cookie that a browser
 * sends on its own:
 *  - CSRF: unsafe methods must carry the session's token in X-CSRF-Token (a cross-site page cannot read
 *    it nor set the header without a CORS grant), and an Origin header, when sent, must be the dashboard's.
 *    The cookie is SameSite=Strict as well.
 *  - Step-up: once the member has a passkey, refunds, early releases, key or webhook endpoint changes and
 *    team changes need a passkey assertion from the last five minutes (403 step_up_required otherwise).
 * Bearer API keys never reach this file and keep working unchanged.
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { servesMode } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import { AuthenticationError, PermissionError } from "../errors.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { RoleForbiddenError } from "../team/errors.ts";
import { roleAllows } from "../team/roles.ts";
import { routePermission } from "../team/routePermissions.ts";
import { dashboardOrigin } from "./dashboardOrigin.ts";
import { StepUpRequiredError } from "./errors.ts";
import { hasPasskey } from "./passkeys.ts";
import { CSRF_HEADER, findSession, SESSION_COOKIE, type SessionRow, stepUpFresh } from "./sessions.ts";

declare module "fastify" {
  interface FastifyRequest {
    dashboardSession: SessionRow | null;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const STEP_UP_SCOPES = new Set(["refunds:write", "keys:write", "webhooks:write"]);
/** webhooks:write routes that change nothing a step-up protects (a redelivery resends signed data). */
const STEP_UP_EXEMPT = new Set(["/v1/events/:id/redeliver"]);
/** Unsafe calls of these routes need a step-up whatever their scope: releases and team changes. */
const STEP_UP_ROUTES = new Set([
  "/v1/orders/:id/release",
  "/v1/team/invitations",
  "/v1/team/invitations/:id/revoke",
  "/v1/team/members/:address",
]);

export function needsStepUp(method: string, routeUrl: string, requirement: string): boolean {
  if (SAFE_METHODS.has(method)) return false;
  if (STEP_UP_ROUTES.has(routeUrl)) return true;
  return STEP_UP_SCOPES.has(requirement) && !STEP_UP_EXEMPT.has(routeUrl);
}

export function sessionCookie(request: FastifyRequest): string | undefined {
  return (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[
    SESSION_COOKIE
  ];
}

/**
 * The request's dashboard session, checked for CSRF on unsafe methods; undefined without a cookie.
 * A cookie that names no live session is a 401 (signed out or expired), never a silent anonymous call.
 */
export async function requireSession(ctx: AppContext, request: FastifyRequest): Promise<SessionRow> {
  const token = sessionCookie(request);
  if (!token) {
    throw new AuthenticationError("session_missing", "Sign in to the dashboard first");
  }
  const session = await findSession(ctx.pool, token);
  if (!session || !servesMode(ctx.networks, session.livemode)) {
    throw new AuthenticationError("session_invalid", "Your dashboard session has ended: sign in again");
  }
  if (!SAFE_METHODS.has(request.method)) {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== dashboardOrigin(ctx.config.dashboardUrl).origin) {
      throw new PermissionError(
        "csrf_origin_mismatch",
        `Requests from ${origin} may not use the dashboard session`,
      );
    }
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== "string" || !equal(sent, session.csrf_token)) {
      throw new PermissionError(
        "csrf_token_invalid",
        "Missing or wrong X-CSRF-Token header: the dashboard sends the token it got at sign-in",
      );
    }
  }
  request.dashboardSession = session;
  return session;
}

/**
 * The session as a principal for a route of `requirement` (a scope, "any" or "session"): the member's role
 * must hold the route's permission, then the step-up rule applies. An unmapped route is refused (the auth
 * plugin already refuses to register one).
 */
export async function sessionPrincipal(
  ctx: AppContext,
  request: FastifyRequest,
  requirement: string,
): Promise<Principal | undefined> {
  if (!sessionCookie(request)) return undefined;
  const session = await requireSession(ctx, request);
  const url = request.routeOptions.url ?? "";
  const permission = routePermission(request.method, url, requirement);
  if (!permission) throw new PermissionError("role_forbidden", "No dashboard role may use this route");
  if (!roleAllows(session.role, session.livemode, permission)) {
    throw new RoleForbiddenError(session.role, permission);
  }
  if (
    needsStepUp(request.method, url, requirement) &&
    !stepUpFresh(session) &&
    (await hasPasskey(ctx.pool, session))
  ) {
    throw new StepUpRequiredError();
  }
  return {
    keyId: session.id,
    merchantId: session.merchant_id,
    livemode: session.livemode,
    scopes: "all",
    member: { address: session.address, role: session.role },
  };
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

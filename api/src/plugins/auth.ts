/**
 * Authentication and scopes, declared per route in `config.auth`:
 *   a scope ("orders:write"): `Authorization: Bearer sk_...` with that scope (write implies read)
 *   "any": any valid key of this instance's mode
 *   "admin": `Authorization: Bearer <PIER_ADMIN_KEY>` (operator routes; off when the variable is unset)
 *   "public": nothing (checkout read, health)
 *   "session": a dashboard session cookie only (sign-out, passkeys, team, audit log); see sessions/sessionAuth.ts
 * Merchant routes (a scope or "any") also accept a dashboard session cookie when no Authorization header
 * is sent: it acts as the merchant within the signed-in member's role, with CSRF and passkey step-up
 * rules. Every route a session can reach must have a permission (team/routePermissions.ts): registering
 * one without fails at start-up.
 * Runs on onRequest, before the body is parsed, so a bad key is a 401 whatever the payload.
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { servesMode } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import { AuthenticationError, PermissionError } from "../errors.ts";
import { authenticate, hashSecret, type Principal } from "../keys/apiKeys.ts";
import { hasScope, type Scope } from "../keys/scopes.ts";
import { sessionPrincipal } from "../sessions/sessionAuth.ts";
import { routePermission, sessionReachable } from "../team/routePermissions.ts";

export type AuthRequirement = Scope | "any" | "admin" | "public" | "session";

declare module "fastify" {
  interface FastifyContextConfig {
    auth?: AuthRequirement;
  }
  interface FastifyRequest {
    principal: Principal;
    isAdmin: boolean;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AuthenticationError("api_key_invalid", "Use 'Authorization: Bearer <secret key>'");
  return match[1];
}

export const auth = fp(
  async (app: FastifyInstance, { ctx }: { ctx: AppContext }) => {
    app.decorateRequest("principal", null as unknown as Principal);
    app.decorateRequest("isAdmin", false);
    app.decorateRequest("dashboardSession", null);
    const adminHash = ctx.config.adminKey ? Buffer.from(hashSecret(ctx.config.adminKey), "hex") : undefined;

    app.addHook("onRoute", (route) => {
      const requirement = (route.config as { auth?: AuthRequirement } | undefined)?.auth ?? "public";
      if (!sessionReachable(requirement)) return;
      for (const method of [route.method].flat()) {
        if (!routePermission(method, route.url, requirement)) {
          throw new Error(
            `${method} ${route.url} (auth "${requirement}") is reachable by a dashboard session but has no role permission: map it in api/src/team/routePermissions.ts`,
          );
        }
      }
    });

    app.addHook("onRequest", async (request) => {
      const requirement = request.routeOptions.config.auth ?? "public";
      if (requirement === "public") return;
      if (requirement === "session") {
        const fromSession = await sessionPrincipal(ctx, request, requirement);
        if (!fromSession) throw new AuthenticationError("session_missing", "Sign in to the dashboard first");
        request.principal = fromSession;
        return;
      }
      const token = bearerToken(request);
      if (requirement === "admin") {
        if (!adminHash)
          throw new PermissionError("admin_disabled", "Admin routes are off: PIER_ADMIN_KEY is not set");
        if (!token)
          throw new AuthenticationError(
            "api_key_missing",
            "Admin routes need 'Authorization: Bearer <admin key>'",
          );
        if (!timingSafeEqual(Buffer.from(hashSecret(token), "hex"), adminHash)) {
          throw new AuthenticationError("api_key_invalid", "Invalid admin key");
        }
        request.isAdmin = true;
        return;
      }
      if (!token) {
        const fromSession = await sessionPrincipal(ctx, request, requirement);
        if (fromSession) {
          request.principal = fromSession;
          return;
        }
        throw new AuthenticationError(
          "api_key_missing",
          "No API key provided: use 'Authorization: Bearer sk_test_...'",
        );
      }
      const principal = await authenticate(ctx.pool, token, (livemode) => servesMode(ctx.networks, livemode));
      if (requirement !== "any" && !hasScope(principal.scopes, requirement)) {
        throw new PermissionError("insufficient_scope", `This key lacks the '${requirement}' scope`);
      }
      request.principal = principal;
    });
  },
  { name: "pier-auth" },
);

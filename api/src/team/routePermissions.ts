/**
 * The permission each route needs from a dashboard session: by default the route's own scope
 * (`config.auth: "orders:read"` needs the `orders:read` permission), and this table where the scope is too
 * coarse (reports and releases are `orders:*` to a key but not to a role) or where a route has no scope
 * ("any", "session"). The auth plugin refuses to register a session-reachable route this file cannot
 * map, so a new route is never silently open to every role.
 */
import { SCOPES } from "../keys/scopes.ts";
import type { Permission } from "./roles.ts";

export const ROUTE_PERMISSIONS: Record<string, Permission> = {
  // Sign-in state and the member's own passkeys.
  "GET /v1/dashboard/session": "session:self",
  "POST /v1/dashboard/logout": "session:self",
  "GET /v1/dashboard/passkeys": "session:self",
  "POST /v1/dashboard/passkeys/registration/options": "session:self",
  "POST /v1/dashboard/passkeys/registration/verify": "session:self",
  "POST /v1/dashboard/passkeys/authentication/options": "session:self",
  "POST /v1/dashboard/passkeys/authentication/verify": "session:self",
  "GET /v1/merchant": "session:self",
  "POST /v1/fx/quotes": "session:self",
  "GET /v1/fx/quotes/:id": "session:self",
  // Money movements that a key sees as order writes.
  "POST /v1/orders/:id/release": "orders:release",
  "POST /v1/orders/:id/cancel": "orders:cancel",
  "POST /v1/risk/reviews/:id/release-hold": "orders:release",
  "POST /v1/risk/reviews/:id/dismiss": "risk:decide",
  "GET /v1/risk/rules": "risk:read",
  "PUT /v1/risk/rules": "risk:write",
  "POST /v1/risk/rules": "risk:write",
  "GET /v1/risk/reviews": "risk:read",
  "GET /v1/risk/reviews/:id": "risk:read",
  // Reports and reconciliation: accounting, not order handling.
  "GET /v1/reports/settlement": "reports:read",
  "GET /v1/reports/reconciliation": "reports:read",
  "GET /v1/reports/daily": "reports:read",
  "GET /v1/reconciliation/findings": "reports:read",
  "POST /v1/reconciliation/findings/:id/resolve": "reconciliation:resolve",
  "POST /v1/payouts": "payouts:write",
  "GET /v1/payouts": "payouts:read",
  "GET /v1/payouts/:id": "payouts:read",
  // Team and audit log (session-only routes).
  "GET /v1/team/members": "team:read",
  "POST /v1/team/members/:address": "team:write",
  "DELETE /v1/team/members/:address": "team:write",
  "GET /v1/team/invitations": "team:read",
  "POST /v1/team/invitations": "team:write",
  "POST /v1/team/invitations/:id/revoke": "team:write",
  "GET /v1/audit_log": "audit:read",
  "GET /v1/audit_log/export": "audit:read",
};

const SCOPE_SET = new Set<string>(SCOPES);

/** Whether a dashboard session can reach a route of this `config.auth` at all. */
export function sessionReachable(auth: string): boolean {
  return auth !== "public" && auth !== "admin";
}

/** The permission a session needs for `method url`, or undefined when the route is not mapped. */
export function routePermission(method: string, url: string, auth: string): Permission | undefined {
  const m = method === "HEAD" ? "GET" : method;
  const mapped = ROUTE_PERMISSIONS[`${m} ${url}`];
  if (mapped) return mapped;
  return SCOPE_SET.has(auth) ? (auth as Permission) : undefined;
}

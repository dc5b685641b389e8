/**
 * Roles against a real API: for each role, a member signs in and every route in the table is either
 * allowed or refused with 403 role_forbidden naming the role and the permission; the audited actions it
 * was allowed write exactly one entry each with the member as actor, and refused ones write nothing.
 * Also: every route a session can reach has a permission (walked over the OpenAPI document).
 */
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { devAccount } from "../../../contracts/lib/accounts.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { type DashboardSession, dashboardSignIn } from "../../../test/harness/dashboardSession.ts";
import { ROLES, type Role, rolePermissions } from "./roles.ts";
import { ROUTE_PERMISSIONS, routePermission } from "./routePermissions.ts";

let s: ApiStack;
let owner: DashboardSession;
beforeAll(async () => {
  s = await startApiStack({ PIER_DASHBOARD_URL: "http://localhost:5173" });
  owner = await dashboardSignIn(s.client, devAccount("merchant"));
});
afterAll(async () => {
  await s?.stop();
});

const MISSING_ORDER = "ord_000000000000000000000000";
const MISSING_REVIEW = "rrv_000000000000000000000000";
const someWallet = () => privateKeyToAccount(generatePrivateKey()).address;

interface Case {
  method: "GET" | "POST";
  path: string;
  body?: () => unknown;
  /** The permission the refusal must name. */
  permission: string;
  /** The answer when allowed (404 for an action on a missing object: it got past the role check). */
  ok: number;
  /** Roles allowed, in test mode. */
  allowed: readonly Role[];
  /** The audit action an allowed call writes. */
  audited?: string;
}

const ALL = ROLES;
const CASES: Case[] = [
  { method: "GET", path: "/v1/dashboard/session", permission: "session:self", ok: 200, allowed: ALL },
  { method: "GET", path: "/v1/merchant", permission: "session:self", ok: 200, allowed: ALL },
  { method: "GET", path: "/v1/orders", permission: "orders:read", ok: 200, allowed: ALL },
  { method: "GET", path: "/v1/subscriptions", permission: "orders:read", ok: 200, allowed: ALL },
  {
    method: "POST",
    path: "/v1/orders",
    body: () => ({ amount: "1000000" }),
    permission: "orders:write",
    ok: 200,
    allowed: ["owner", "admin", "developer"],
  },
  {
    method: "POST",
    path: `/v1/orders/${MISSING_ORDER}/cancel`,
    permission: "orders:cancel",
    ok: 404,
    allowed: ["owner", "admin", "developer", "support"],
  },
  {
    method: "POST",
    path: `/v1/orders/${MISSING_ORDER}/release`,
    permission: "orders:release",
    ok: 404,
    allowed: ["owner", "admin"],
  },
  { method: "GET", path: "/v1/refunds", permission: "refunds:read", ok: 200, allowed: ALL },
  {
    method: "POST",
    path: "/v1/refunds",
    body: () => ({ order: MISSING_ORDER, amount: "1" }),
    permission: "refunds:write",
    ok: 404,
    allowed: ["owner", "admin", "support"],
  },
  {
    method: "GET",
    path: "/v1/keys",
    permission: "keys:read",
    ok: 200,
    allowed: ["owner", "admin", "developer"],
  },
  {
    method: "POST",
    path: "/v1/keys",
    body: () => ({ name: "role test", type: "restricted", scopes: ["orders:read"] }),
    permission: "keys:write",
    ok: 200,
    allowed: ["owner", "admin", "developer"],
    audited: "api_key.created",
  },
  {
    method: "GET",
    path: "/v1/webhook_endpoints",
    permission: "webhooks:read",
    ok: 200,
    allowed: ["owner", "admin", "developer"],
  },
  {
    method: "POST",
    path: "/v1/webhook_endpoints",
    body: () => ({ url: "http://127.0.0.1:9/hook", enabled_events: ["*"] }),
    permission: "webhooks:write",
    ok: 200,
    allowed: ["owner", "admin", "developer"],
    audited: "webhook_endpoint.created",
  },
  {
    method: "GET",
    path: "/v1/events",
    permission: "events:read",
    ok: 200,
    allowed: ["owner", "admin", "developer"],
  },
  { method: "GET", path: "/v1/risk/reviews", permission: "risk:read", ok: 200, allowed: ALL },
  {
    method: "POST",
    path: `/v1/risk/reviews/${MISSING_REVIEW}/dismiss`,
    permission: "risk:decide",
    ok: 404,
    allowed: ["owner", "admin", "support"],
  },
  {
    method: "POST",
    path: `/v1/risk/reviews/${MISSING_REVIEW}/release-hold`,
    permission: "orders:release",
    ok: 404,
    allowed: ["owner", "admin"],
  },
  {
    method: "POST",
    path: "/v1/risk/rules",
    body: () => ({ reporting_currency: "USD" }),
    permission: "risk:write",
    ok: 200,
    allowed: ["owner", "admin"],
    audited: "risk.rules_changed",
  },
  {
    method: "GET",
    path: "/v1/reports/settlement",
    permission: "reports:read",
    ok: 200,
    allowed: ["owner", "admin", "accountant"],
  },
  {
    method: "GET",
    path: "/v1/reconciliation/findings",
    permission: "reports:read",
    ok: 200,
    allowed: ["owner", "admin", "accountant"],
  },
  {
    method: "GET",
    path: "/v1/payouts",
    permission: "payouts:read",
    ok: 200,
    allowed: ["owner", "admin", "accountant"],
  },
  {
    // Allowed roles get past the role check to body validation.
    method: "POST",
    path: "/v1/payouts",
    body: () => ({}),
    permission: "payouts:write",
    ok: 400,
    allowed: ["owner", "admin"],
  },
  { method: "GET", path: "/v1/team/members", permission: "team:read", ok: 200, allowed: ["owner", "admin"] },
  {
    method: "POST",
    path: "/v1/team/invitations",
    body: () => ({ address: someWallet(), role: "support" }),
    permission: "team:write",
    ok: 200,
    allowed: ["owner", "admin"],
    audited: "team.member_invited",
  },
  {
    method: "GET",
    path: "/v1/audit_log",
    permission: "audit:read",
    ok: 200,
    allowed: ["owner", "admin", "accountant"],
  },
  {
    method: "GET",
    path: "/v1/audit_log/export",
    permission: "audit:read",
    ok: 200,
    allowed: ["owner", "admin", "accountant"],
  },
];

/** A fresh wallet invited by the owner with `role`, signed in (which accepts the invitation). */
async function member(role: Role) {
  const account = privateKeyToAccount(generatePrivateKey());
  const invited = await s.client
    .withKey(undefined)
    .post("/v1/team/invitations", { address: account.address, role }, { headers: owner.headers });
  expect(invited.status, JSON.stringify(invited.body)).toBe(200);
  const session = await dashboardSignIn(s.client, account);
  expect(session.body).toMatchObject({ role, address: account.address });
  return { account, session };
}

describe.each(ROLES)("role %s", (role) => {
  test("behavior: each route in the table is allowed or refused with role_forbidden; allowed audited actions write one entry each", async () => {
    const { account, session } = await member(role);
    const anon = s.client.withKey(undefined);
    for (const c of CASES) {
      const res =
        c.method === "GET"
          ? await anon.get(c.path, { headers: session.headers })
          : await anon.post(c.path, c.body?.() ?? {}, { headers: session.headers });
      const where = `${role} ${c.method} ${c.path}: ${res.status} ${JSON.stringify(res.body)}`;
      if (c.allowed.includes(role)) {
        expect(res.status, where).toBe(c.ok);
      } else {
        expect(res.status, where).toBe(403);
        expect(res.body.error, where).toMatchObject({ type: "permission_error", code: "role_forbidden" });
        expect(res.body.error.message, where).toContain(`The ${role} role`);
        expect(res.body.error.message, where).toContain(`'${c.permission}'`);
      }
    }
    const { rows } = await s.stack.db.query(
      "SELECT action, actor_type, count(*)::int AS n FROM pier_api.audit_log WHERE actor_id = $1 GROUP BY 1, 2 ORDER BY 1",
      [account.address],
    );
    // Signing in accepted the invitation: that is audited too.
    const expected = [
      { audited: "team.invitation_accepted" },
      ...CASES.filter((c) => c.audited && c.allowed.includes(role)),
    ]
      .map((c) => ({ action: c.audited, actor_type: "member", n: 1 }))
      .sort((a, b) => a.action!.localeCompare(b.action!));
    expect(rows).toEqual(expected);
  });
});

describe("permission mapping", () => {
  test("behavior: every operation a session can reach names its permission in the OpenAPI document, and it is the mapped one", async () => {
    const doc = (await (await fetch(`${s.api.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
      security: Record<string, string[]>[];
    };
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const security = (op.security ?? doc.security) as Record<string, string[]>[];
        const reachable = security.some((s) => "secretKey" in s || "sessionCookie" in s);
        const permission = op["x-pier-permission"];
        const url = path.replace(/\{(\w+)\}/g, ":$1");
        if (!reachable) {
          expect(permission, `${method} ${path}`).toBeUndefined();
          continue;
        }
        expect(permission, `${method} ${path} has no permission`).toEqual(expect.any(String));
        const scope = security.find((s) => s.secretKey)?.secretKey?.[0] ?? "any";
        expect(routePermission(method.toUpperCase(), url, scope), `${method} ${path}`).toBe(permission);
        checked++;
      }
    }
    // Every table entry is a real route (no stale rows that would hide a renamed route).
    const operations = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
      ),
    );
    for (const key of Object.keys(ROUTE_PERMISSIONS)) expect(operations, key).toContain(key);
    expect(checked).toBeGreaterThan(60);
  });

  test("default: developers create and cancel orders only in test mode; nobody but owners manages owners", () => {
    expect(rolePermissions("developer", false).has("orders:write")).toBe(true);
    expect(rolePermissions("developer", true).has("orders:write")).toBe(false);
    expect(rolePermissions("developer", true).has("orders:cancel")).toBe(false);
    expect(rolePermissions("support", true).has("orders:cancel")).toBe(true);
    expect(ROLES.filter((r) => rolePermissions(r, true).has("team:owners"))).toEqual(["owner"]);
    expect(ROLES.filter((r) => rolePermissions(r, true).has("payouts:write"))).toEqual(["owner", "admin"]);
  });
});

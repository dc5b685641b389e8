/**
 * Team roles and what each may do on the dashboard. A permission is what a route needs
 * (routePermissions.ts); a role is a set of permissions, the same in both modes except where noted.
 * API keys do not have roles: their scopes (keys/scopes.ts) keep governing them.
 */

export const ROLES = ["owner", "admin", "developer", "support", "accountant"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  // Every member: their own session and passkeys, the merchant profile, FX quotes.
  "session:self",
  "orders:read",
  "orders:write",
  "orders:cancel",
  "orders:release",
  "refunds:read",
  "refunds:write",
  "risk:read",
  "risk:write",
  "risk:decide",
  "events:read",
  "webhooks:read",
  "webhooks:write",
  "keys:read",
  "keys:write",
  "reports:read",
  "reconciliation:resolve",
  "payouts:read",
  "payouts:write",
  "team:read",
  "team:write",
  "team:owners",
  "audit:read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL = new Set<Permission>(PERMISSIONS);

/** What each role may do, with a sentence for the docs and the dashboard. */
export const ROLE_GRANTS: Record<Role, { description: string; grants: readonly Permission[] }> = {
  owner: {
    description: "Everything, including the team and who the owners are.",
    grants: PERMISSIONS,
  },
  admin: {
    description: "Everything except making, demoting or removing owners.",
    grants: PERMISSIONS.filter((p) => p !== "team:owners"),
  },
  developer: {
    description:
      "API keys, webhook endpoints, events, reading orders; creating and canceling orders in test mode. No refunds, releases, payouts or team.",
    grants: [
      "session:self",
      "orders:read",
      "refunds:read",
      "risk:read",
      "events:read",
      "webhooks:read",
      "webhooks:write",
      "keys:read",
      "keys:write",
    ],
  },
  support: {
    description:
      "Reading orders and customers' payments, refunds, risk reviews (dismiss a flag, refund a payment), canceling unpaid orders. No keys, webhooks, releases, payouts or team.",
    grants: [
      "session:self",
      "orders:read",
      "orders:cancel",
      "refunds:read",
      "refunds:write",
      "risk:read",
      "risk:decide",
    ],
  },
  accountant: {
    description:
      "Reading everything about money: orders, refunds, subscriptions and invoices, reports, reconciliation, payouts, the audit log and its CSV export. No writes.",
    grants: [
      "session:self",
      "orders:read",
      "refunds:read",
      "risk:read",
      "reports:read",
      "payouts:read",
      "audit:read",
    ],
  },
};

/** Test-mode tooling: what a role may also do with test data only. */
const TEST_MODE_GRANTS: Partial<Record<Role, readonly Permission[]>> = {
  developer: ["orders:write", "orders:cancel"],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: string): value is Permission {
  return ALL.has(value as Permission);
}

/** The permissions of `role` in the session's mode. */
export function rolePermissions(role: Role, livemode: boolean): Set<Permission> {
  const out = new Set<Permission>(ROLE_GRANTS[role].grants);
  if (!livemode) for (const p of TEST_MODE_GRANTS[role] ?? []) out.add(p);
  return out;
}

export function roleAllows(role: Role, livemode: boolean, permission: Permission): boolean {
  return rolePermissions(role, livemode).has(permission);
}

/** Owner > admin > the three others (peers). Nobody may grant a role above their own. */
const RANK: Record<Role, number> = { owner: 3, admin: 2, developer: 1, support: 1, accountant: 1 };

export function canGrant(granter: Role, role: Role): boolean {
  return RANK[granter] >= RANK[role];
}

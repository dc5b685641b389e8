/** What a restricted API key may be allowed to do. An unrestricted secret key may do everything. */
export const SCOPES = [
  "orders:read",
  "orders:write",
  "refunds:read",
  "refunds:write",
  "webhooks:read",
  "webhooks:write",
  "events:read",
  "keys:read",
  "keys:write",
] as const;

export type Scope = (typeof SCOPES)[number];

/** `write` implies `read` for the same resource. */
export function hasScope(granted: readonly string[] | "all", needed: Scope): boolean {
  if (granted === "all") return true;
  if (granted.includes(needed)) return true;
  const [resource, action] = needed.split(":");
  return action === "read" && granted.includes(`${resource}:write`);
}

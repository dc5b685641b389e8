/**
 * What the signed-in member's role may do (the session's `permissions`, from the API's role table in
 * api/src/team/roles.ts): the dashboard hides sections and controls the role cannot use. The API
 * enforces the same rules; this only spares the member buttons that would answer 403.
 */
import type { DashboardSession } from "@pier/client/types";
import { useQueryClient } from "@tanstack/react-query";
import { SESSION_KEY } from "./servedNetworks.ts";

export type Can = (permission: string) => boolean;

export function canOf(session: Pick<DashboardSession, "permissions"> | null | undefined): Can {
  const granted = new Set(session?.permissions ?? []);
  return (permission) => granted.has(permission);
}

/** `can("refunds:write")` for the signed-in member. */
export function useCan(): Can {
  return canOf(useQueryClient().getQueryData<DashboardSession | null>(SESSION_KEY));
}

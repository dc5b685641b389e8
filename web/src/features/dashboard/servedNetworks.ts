/**
 * The networks the API serves (GET /v1/networks, public) and the dashboard session's query key. Mainnets
 * serve live mode and testnets test mode; a session sees only its own mode's networks.
 */
import type { Page } from "@pier/client";
import type { DashboardSession, Network } from "@pier/client/types";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { apiGet } from "../../lib/dashboardApi.ts";

export const SESSION_KEY = ["dashboard", "session"] as const;

export function useServedNetworks() {
  return useQuery({
    queryKey: ["dashboard", "networks"],
    queryFn: async () => (await apiGet<Page<Network>>("/v1/networks")).data,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The modes the API serves, test first; empty until the networks load. */
export function servedModes(networks: Network[] | undefined): boolean[] {
  const modes = new Set((networks ?? []).map((n) => n.livemode));
  return [false, true].filter((m) => modes.has(m));
}

/** The signed-in session's networks (all of them before the session is known). */
export function useSessionNetworks() {
  const session = useQueryClient().getQueryData<DashboardSession | null>(SESSION_KEY);
  const networks = useServedNetworks();
  const data = session ? networks.data?.filter((n) => n.livemode === session.livemode) : networks.data;
  return { ...networks, data };
}

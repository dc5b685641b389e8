/**
 * /dashboard/sign-in?token=...: a one-time sign-in link (test mode only; `pier dashboard` prints one for
 * the local stack). The token leaves the address bar before anything else happens, so it lands in no
 * history entry or Referer; the API exchanges it for the ordinary session cookie, and the dashboard
 * opens on its first section. A used or expired link says so and offers the wallet sign-in instead.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { apiPost, errorText } from "../../lib/dashboardApi.ts";
import { parseDashboardPath } from "./useDashboardPath.ts";

/** The link's token when the page was opened on /dashboard/sign-in?token=..., read once. */
function linkToken(): string | undefined {
  if (parseDashboardPath(window.location.pathname).section !== "sign-in") return undefined;
  return new URLSearchParams(window.location.search).get("token") || undefined;
}

/** Redeems the page's sign-in link, if it was opened with one; `settled` once there is nothing to wait for. */
export function useSignInLink(): { settled: boolean; error: unknown } {
  const [token] = useState(linkToken);
  const redeem = useQuery({
    queryKey: ["dashboard", "sign-in-link"],
    enabled: token !== undefined,
    queryFn: async () => {
      window.history.replaceState(null, "", "/dashboard/sign-in");
      await apiPost("/v1/dashboard/sign_in_links/redeem", { token });
      window.history.replaceState(null, "", "/dashboard");
      return true;
    },
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return { settled: token === undefined || !redeem.isPending, error: redeem.error };
}

export function SignInLinkFailed({ error }: { error: unknown }) {
  return (
    <main className="page">
      <h1>Merchant dashboard</h1>
      <div className="card">
        <p className="error" role="alert">
          {errorText(error)}
        </p>
        <a className="button" href="/dashboard">
          Sign in with your wallet
        </a>
      </div>
    </main>
  );
}

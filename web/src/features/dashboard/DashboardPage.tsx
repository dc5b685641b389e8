/**
 * The merchant dashboard (/dashboard): sign-in with the owner wallet, then the sections of sections.ts,
 * each loaded on first visit. Its own chunk: the checkout never loads any of it.
 */

import type { DashboardSession } from "@pier/client/types";
import {
  MutationCache,
  QueryCache,
  QueryClient,
  QueryClientProvider,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useMemo } from "react";
import {
  apiGet,
  DashboardApiError,
  errorText,
  setCsrfToken,
  setStepUpHandler,
} from "../../lib/dashboardApi.ts";
import "./dashboard.css";
import { DashboardShell } from "./DashboardShell.tsx";
import { stepUpWithPasskey } from "./passkeyCeremonies.ts";
import { SESSION_KEY } from "./servedNetworks.ts";
import { SignInLinkFailed, useSignInLink } from "./signInLink.tsx";

const SignIn = lazy(() => import("./SignIn.tsx"));

/** A 401 anywhere means the session ended (expired, signed out elsewhere): show the sign-in again. */
function onError(error: unknown) {
  if (error instanceof DashboardApiError && error.status === 401 && queryClient.getQueryData(SESSION_KEY)) {
    queryClient.setQueryData(SESSION_KEY, null);
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      // A 4xx will not get better by asking again; network errors and 5xx may.
      retry: (count, error) =>
        count < 2 &&
        !(error instanceof DashboardApiError && error.status !== undefined && error.status < 500),
    },
  },
});

export default function DashboardPage() {
  return (
    <QueryClientProvider client={queryClient}>
      <Dashboard />
    </QueryClientProvider>
  );
}

function Dashboard() {
  const client = useQueryClient();
  const link = useSignInLink();
  const session = useQuery({
    // After a sign-in link, the session it made (and not a read from before it).
    enabled: link.settled,
    queryKey: SESSION_KEY,
    queryFn: () =>
      apiGet<DashboardSession>("/v1/dashboard/session").catch((error) => {
        if (error instanceof DashboardApiError && error.status === 401) return null;
        throw error;
      }),
    staleTime: 60_000,
  });

  useEffect(() => {
    setCsrfToken(session.data?.csrf_token);
  }, [session.data]);

  useEffect(() => {
    setStepUpHandler(async () => {
      client.setQueryData(SESSION_KEY, await stepUpWithPasskey());
    });
    return () => setStepUpHandler(undefined);
  }, [client]);

  const onSignedIn = useMemo(
    () => (s: DashboardSession) => {
      setCsrfToken(s.csrf_token);
      client.setQueryData(SESSION_KEY, s);
    },
    [client],
  );

  if (link.error) return <SignInLinkFailed error={link.error} />;
  if (session.isPending) return <Loading />;
  if (session.isError) {
    return (
      <main className="page">
        <p className="error" role="alert">
          {errorText(session.error)}
        </p>
        <button type="button" className="button" onClick={() => session.refetch()}>
          Try again
        </button>
      </main>
    );
  }
  if (!session.data) {
    return (
      <Suspense fallback={<Loading />}>
        <SignIn onSignedIn={onSignedIn} />
      </Suspense>
    );
  }
  return <DashboardShell session={session.data} />;
}

function Loading() {
  return (
    <main className="page" aria-busy="true">
      <p className="muted">Loading…</p>
    </main>
  );
}

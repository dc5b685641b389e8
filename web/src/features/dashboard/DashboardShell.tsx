/** The signed-in dashboard: header, navigation from sections.ts, and the current section. */

import type { DashboardSession } from "@pier/client/types";
import { useQueryClient } from "@tanstack/react-query";
import { type ComponentType, type LazyExoticComponent, lazy, Suspense, useState } from "react";
import { apiPost, errorText } from "../../lib/dashboardApi.ts";
import { shortHex } from "../../lib/format.ts";
import { CreditedBalances } from "./CreditedBalances.tsx";
import { canOf } from "./permissions.ts";
import { type DashboardSection, type SectionProps, sections } from "./sections.ts";
import { servedModes, useServedNetworks } from "./servedNetworks.ts";
import { useDashboardPath } from "./useDashboardPath.ts";

const loaded = new Map<string, LazyExoticComponent<ComponentType<SectionProps>>>();
function sectionComponent(section: DashboardSection) {
  let component = loaded.get(section.id);
  if (!component) {
    component = lazy(section.load);
    loaded.set(section.id, component);
  }
  return component;
}

export function DashboardShell({ session }: { session: DashboardSession }) {
  const client = useQueryClient();
  const [path, navigate] = useDashboardPath();
  const [signOutError, setSignOutError] = useState<string>();
  const can = canOf(session);
  // Sections the role cannot use are not offered (the API would refuse their calls anyway).
  const visible = sections.filter((s) => can(s.permission));
  const current = visible.find((s) => s.id === path.section) ?? visible[0]!;
  const Section = sectionComponent(current);

  const modes = servedModes(useServedNetworks().data);

  /** Ends the session; `mode` reopens the sign-in for that mode (a session sees one mode's data). */
  async function signOut(mode?: "live" | "test") {
    try {
      await apiPost("/v1/dashboard/logout");
      client.clear();
      window.location.assign(mode ? `/dashboard?mode=${mode}` : "/dashboard");
    } catch (error) {
      setSignOutError(errorText(error));
    }
  }

  return (
    <div className="dash">
      <a className="skip-link" href="#dash-main">
        Skip to content
      </a>
      <header className="dash-header">
        <div>
          <strong data-testid="merchant-name">{session.merchant.name}</strong>
          <span className="muted">
            {" "}
            · <span title={session.address}>{shortHex(session.address)}</span> ·{" "}
            <span data-testid="member-role">{session.role}</span>
            {session.livemode ? " · live mode" : " · test mode"}
          </span>
        </div>
        <span>
          {modes.length > 1 && (
            <button
              type="button"
              className="link"
              onClick={() => signOut(session.livemode ? "test" : "live")}
            >
              Switch to {session.livemode ? "test" : "live"} data
            </button>
          )}
          <button type="button" className="link" onClick={() => signOut()}>
            Sign out
          </button>
        </span>
      </header>
      {signOutError && (
        <p className="error" role="alert">
          {signOutError}
        </p>
      )}
      <nav className="dash-nav" aria-label="Dashboard">
        <ul>
          {visible.map((s) => (
            <li key={s.id}>
              <a
                href={`/dashboard/${s.id}`}
                aria-current={s.id === current.id ? "page" : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(s.id);
                }}
              >
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="dash-main" className="dash-main" tabIndex={-1}>
        <CreditedBalances />
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Section
            key={current.id}
            subpath={current.id === path.section ? path.subpath : ""}
            navigate={(to) => navigate(`${current.id}/${to}`.replace(/\/$/, ""))}
          />
        </Suspense>
      </main>
    </div>
  );
}

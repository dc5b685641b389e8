/**
 * Audit log: who did what (refunds, releases, keys, webhook endpoints, risk decisions, payouts, team
 * changes), newest first, filtered by action and actor, with a CSV export of the same filter. Entries
 * cannot be changed: there is nothing here to edit.
 */

import type { Page } from "@pier/client";
import type { AuditEntry } from "@pier/client/types";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { apiGet, errorText } from "../../../lib/dashboardApi.ts";
import { env } from "../../../lib/env.ts";
import { formatDateTime, shortHex } from "../../../lib/format.ts";

/** The actions the filter offers (the API's list: tsc checks each name against its schema). */
const ACTIONS = [
  "merchant.created",
  "refund.created",
  "order.released",
  "order.canceled",
  "subscription.canceled",
  "payment_link.deactivated",
  "plan.archived",
  "payout.created",
  "api_key.created",
  "api_key.rolled",
  "api_key.revoked",
  "webhook_endpoint.created",
  "webhook_endpoint.updated",
  "webhook_endpoint.deleted",
  "webhook_endpoint.secret_rotated",
  "risk.rules_changed",
  "risk.review_release_hold",
  "risk.review_refund",
  "risk.review_dismiss",
  "risk.hold_placed",
  "risk.hold_lifted",
  "dispute.resolved",
  "reconciliation_finding.resolved",
  "team.member_invited",
  "team.invitation_revoked",
  "team.invitation_accepted",
  "team.role_changed",
  "team.member_removed",
] as const satisfies readonly AuditEntry["action"][];

function actorText(actor: AuditEntry["actor"]): string {
  if (actor.type === "member") return shortHex(actor.id);
  if (actor.type === "api_key") return `API key ${actor.id}`;
  return "Operator (admin key)";
}

export default function AuditSection() {
  const ids = { action: useId(), actor: useId() };
  const [action, setAction] = useState("");
  const [actor, setActor] = useState("");
  const filter = new URLSearchParams();
  if (action) filter.set("action", action);
  if (actor.trim()) filter.set("actor", actor.trim());
  const query = filter.toString();
  const entries = useInfiniteQuery({
    queryKey: ["dashboard", "audit", query],
    initialPageParam: "",
    queryFn: ({ pageParam }) =>
      apiGet<Page<AuditEntry>>(
        `/v1/audit_log?limit=50${query ? `&${query}` : ""}${pageParam ? `&starting_after=${pageParam}` : ""}`,
      ),
    getNextPageParam: (last) => (last.has_more ? last.data[last.data.length - 1]?.id : undefined),
  });
  const rows = entries.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <section aria-labelledby="audit-title" className="card">
      <h2 id="audit-title">Audit log</h2>
      <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={ids.action}>Action</label>
        <select id={ids.action} value={action} onChange={(e) => setAction(e.target.value)}>
          <option value="">All actions</option>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <label htmlFor={ids.actor}>Actor</label>
        <input
          id={ids.actor}
          value={actor}
          onChange={(e) => setActor(e.target.value)}
          placeholder="0x… wallet, key_… or admin"
          spellCheck={false}
          autoComplete="off"
        />
        <a
          className="button"
          href={`${env.apiUrl}/v1/audit_log/export${query ? `?${query}` : ""}`}
          download="audit-log.csv"
          data-testid="audit-export"
        >
          Export CSV
        </a>
      </form>
      {entries.error && (
        <p className="error" role="alert">
          {errorText(entries.error)}
        </p>
      )}
      {entries.isPending ? (
        <p className="muted">Loading the audit log…</p>
      ) : rows.length === 0 ? (
        <p className="muted">No entries match.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="audit-log">
            <caption className="sr-only">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Object</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id} data-testid="audit-entry" data-action={e.action}>
                  <th scope="row">{formatDateTime(e.created)}</th>
                  <td title={e.actor.id}>{actorText(e.actor)}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.object_id && <code title={e.object_id}>{e.object_id}</code>}</td>
                  <td>
                    <code className="small">{JSON.stringify(e.details)}</code>
                    {e.request_id && <div className="muted small">{e.request_id}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {entries.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={entries.isFetchingNextPage}
          onClick={() => entries.fetchNextPage()}
        >
          Load older entries
        </button>
      )}
    </section>
  );
}

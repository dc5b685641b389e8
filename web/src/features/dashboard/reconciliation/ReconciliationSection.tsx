/**
 * Reconciliation: open and resolved findings (orders vs on-chain payments vs fiat), resolving one with a
 * note, and the reconciliation and settlement reports as CSV downloads.
 */

import type { Page } from "@pier/client";
import type { ReconciliationFinding } from "@pier/client/types";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiGet, apiPost, errorText } from "../../../lib/dashboardApi.ts";
import { env } from "../../../lib/env.ts";
import { useCan } from "../permissions.ts";

const FINDINGS = ["ops", "findings"];

export default function ReconciliationSection() {
  const client = useQueryClient();
  const resolves = useCan()("reconciliation:resolve");
  const [status, setStatus] = useState("open");
  const findings = useQuery({
    queryKey: [...FINDINGS, status],
    queryFn: () =>
      apiGet<Page<ReconciliationFinding>>(`/v1/reconciliation/findings?limit=100&status=${status}`),
    refetchInterval: 10_000,
  });
  const resolve = useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) =>
      apiPost<ReconciliationFinding>(`/v1/reconciliation/findings/${id}/resolve`, { note }),
    onSuccess: () => client.invalidateQueries({ queryKey: FINDINGS }),
  });
  return (
    <section aria-labelledby="recon-title" className="card">
      <h2 id="recon-title">Reconciliation</h2>
      <p className="actions">
        <a className="button" href={`${env.apiUrl}/v1/reports/reconciliation?format=csv`} download>
          Reconciliation report (CSV)
        </a>
        <a className="button" href={`${env.apiUrl}/v1/reports/settlement?format=csv`} download>
          Settlement report, last 30 days (CSV)
        </a>
      </p>
      <label>
        Show{" "}
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
        </select>
      </label>
      {(findings.error || resolve.error) && (
        <p className="error" role="alert">
          {errorText(findings.error ?? resolve.error)}
        </p>
      )}
      {findings.data?.data.length === 0 && <p className="muted">No findings: the books match.</p>}
      <table className="table" data-testid="findings">
        <thead>
          <tr>
            <th>Kind</th>
            <th>Order</th>
            <th>Details</th>
            <th>Detected</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {findings.data?.data.map((f) => (
            <tr key={f.id}>
              <td>
                <code>{f.kind}</code>
              </td>
              <td>{f.order ?? f.subject}</td>
              <td className="small">
                {Object.entries(f.details)
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(" · ")}
              </td>
              <td>{new Date(f.detected_at * 1000).toLocaleString()}</td>
              <td>
                {f.status === "open" && !resolves ? (
                  "open"
                ) : f.status === "open" ? (
                  <button
                    type="button"
                    className="button"
                    disabled={resolve.isPending}
                    onClick={() => {
                      const note = window.prompt("How was this resolved?");
                      if (note) resolve.mutate({ id: f.id, note });
                    }}
                  >
                    Resolve
                  </button>
                ) : (
                  <span className="muted small">
                    by {f.resolved_by}: {f.resolution_note}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

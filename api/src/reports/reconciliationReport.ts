/**
 * The reconciliation report: the last run, counts per kind (open and resolved) and the findings, for a
 * merchant. The CSV form lists the findings, one per row.
 */
import type { Db } from "../db/pool.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { allFindings, toFindingObject } from "../reconciliation/findings.ts";

export const RECONCILIATION_COLUMNS = [
  "id",
  "kind",
  "status",
  "order",
  "subject",
  "detected_at",
  "last_seen_at",
  "resolved_at",
  "resolved_by",
  "resolution_note",
  "details",
] as const;

export async function reconciliationReport(db: Db, principal: Principal, status?: "open" | "resolved") {
  const findings = (await allFindings(db, principal, status)).map(toFindingObject);
  const last = await db.query<{ id: string; finished_at: Date | null; found: number }>(
    "SELECT id, finished_at, found FROM reconciliation_runs ORDER BY started_at DESC LIMIT 1",
  );
  const byKind: Record<string, { open: number; resolved: number }> = {};
  for (const f of findings) {
    byKind[f.kind] ??= { open: 0, resolved: 0 };
    byKind[f.kind]![f.status]++;
  }
  const run = last.rows[0];
  return {
    object: "reconciliation_report" as const,
    livemode: principal.livemode,
    generated: Math.floor(Date.now() / 1000),
    last_run: run
      ? { id: run.id, finished: run.finished_at ? Math.floor(run.finished_at.getTime() / 1000) : null }
      : null,
    open: findings.filter((f) => f.status === "open").length,
    by_kind: byKind,
    findings,
  };
}

/**
 * One reconciliation pass (the pg-boss `reconciliation` job, or POST /v1/reconciliation/runs): runs
 * every check of checks.ts, stores what it finds once per (kind, subject) and alerts new findings with
 * `reconciliation.mismatch` in the same transaction. A finding no longer observed is resolved by
 * `system`. One pass at a time across processes (advisory lock). Then the alert gauges are refreshed.
 */
import type { ChainContext } from "../chain/chainContext.ts";
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { recordEvent } from "../events/recordEvent.ts";
import { randomBase62 } from "../lib/ids.ts";
import type { ReconciliationRunT } from "../schemas/reconciliation.ts";
import { CHECKS, type FoundRow } from "./checks.ts";
import { checkEndpointHealth } from "./endpointHealth.ts";
import { type FindingRow, toFindingObject } from "./findings.ts";
import { checkTreasury } from "./treasuryAlert.ts";
import { unindexedPayments } from "./unindexedPayments.ts";

const LOCK = 0x5245_434e; // "RECN"

export async function runReconciliation(ctx: AppContext): Promise<ReconciliationRunT | undefined> {
  // On-chain times are compared with chain time: a dev chain can run ahead of the wall clock. A network
  // whose RPC is down is skipped this pass (its open findings stay open); the others are checked.
  const heads = await Promise.all(
    ctx.networks.list.map(async (net) => {
      try {
        return { net, chainNow: (await net.head.refresh()).timestamp };
      } catch (err) {
        ctx.log.warn({ err, chainId: net.chainId }, "reconciliation skips a network whose RPC is down");
        return { net, chainNow: undefined };
      }
    }),
  );
  const reachable = heads.filter((h) => h.chainNow !== undefined) as {
    net: ChainContext;
    chainNow: bigint;
  }[];
  const skipped = heads.filter((h) => h.chainNow === undefined).map((h) => h.net.chainId);
  if (reachable.length === 0) throw new Error("reconciliation: no network's RPC is reachable");
  const result = await withTransaction(ctx.pool, async (tx) => {
    const locked = await tx.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS ok", [LOCK]);
    if (!locked.rows[0]?.ok) return undefined;
    const id = `rcr_${randomBase62(24)}`;
    const { rows: started } = await tx.query<{ now: Date }>("SELECT now() AS now");
    const startedAt = started[0]!.now;
    const fiat = (await tx.query<{ ok: boolean }>("SELECT to_regclass('fiat_capture') IS NOT NULL AS ok"))
      .rows[0]!.ok;
    const kinds: Record<string, number> = {};
    const rows: FoundRow[] = [];
    for (const { net, chainNow } of reachable) {
      const onNetwork: FoundRow[] = [];
      for (const check of CHECKS) {
        if (check.fiat && !fiat) continue;
        // Every check sees the same three parameters, whichever it uses. The checks read the indexer's
        // tables outside the transaction, one statement each: a transaction holding one of them while it
        // asks for another can deadlock with the indexer's reorg (credits/sweepCredits.ts says how).
        const { rows: seen } = await ctx.pool.query<FoundRow>(
          `SELECT * FROM (${check.sql(ctx.tables)}) q WHERE $1::int IS NOT NULL AND $3::bigint IS NOT NULL`,
          [net.chainId, ctx.config.reconciliation.graceSeconds, chainNow.toString()],
        );
        kinds[check.kind] = (kinds[check.kind] ?? 0) + seen.length;
        onNetwork.push(...seen);
      }
      // Payments the indexer has not seen at all (it is down or behind) are read from the chain.
      const credited = new Set(onNetwork.filter((r) => r.kind === "paid_not_credited").map((r) => r.subject));
      const fromChain = await unindexedPayments(
        ctx,
        net,
        ctx.pool,
        chainNow,
        ctx.config.reconciliation.graceSeconds,
      ).catch((err: unknown) => {
        ctx.log.warn(
          { err, chainId: net.chainId },
          "reconciliation could not read the chain's payments; indexed checks still ran",
        );
        return [];
      });
      for (const row of fromChain) {
        if (credited.has(row.subject)) continue;
        onNetwork.push(row);
        kinds[row.kind] = (kinds[row.kind] ?? 0) + 1;
      }
      rows.push(...onNetwork);
    }
    const found = rows.length;
    let fresh = 0;
    for (const row of rows) {
      const stored = await tx.query<FindingRow & { inserted: boolean; alert: boolean }>(
        `INSERT INTO reconciliation_findings (id, merchant_id, livemode, kind, subject, order_id, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (kind, subject) DO UPDATE SET last_seen_at = now(), details = EXCLUDED.details,
           -- Closed by a pass that no longer saw it, and back: open again (and alert again). A finding a
           -- person resolved stays resolved.
           status = CASE WHEN reconciliation_findings.resolved_by = 'system' THEN 'open' ELSE reconciliation_findings.status END,
           detected_at = CASE WHEN reconciliation_findings.resolved_by = 'system' THEN now() ELSE reconciliation_findings.detected_at END,
           resolved_at = CASE WHEN reconciliation_findings.resolved_by = 'system' THEN NULL ELSE reconciliation_findings.resolved_at END,
           resolution_note = CASE WHEN reconciliation_findings.resolved_by = 'system' THEN NULL ELSE reconciliation_findings.resolution_note END,
           resolved_by = CASE WHEN reconciliation_findings.resolved_by = 'system' THEN NULL ELSE reconciliation_findings.resolved_by END
         RETURNING *, (xmax = 0) AS inserted, (detected_at = now()) AS alert`,
        [
          `rcf_${randomBase62(24)}`,
          row.merchant_id,
          row.livemode,
          row.kind,
          row.subject,
          row.order_id,
          JSON.stringify(row.details),
        ],
      );
      const finding = stored.rows[0]!;
      // New, or reopened in this pass (detected_at is this transaction's now()).
      if (!finding.alert) continue;
      fresh++;
      ctx.metrics.reconciliationFindings.inc({ kind: row.kind });
      ctx.log.warn(
        { findingId: finding.id, kind: row.kind, subject: row.subject, orderId: row.order_id },
        "reconciliation mismatch",
      );
      if (finding.merchant_id) {
        await recordEvent(ctx, tx, {
          merchantId: finding.merchant_id,
          livemode: finding.livemode,
          type: "reconciliation.mismatch",
          dedupeKey: `reconciliation.mismatch:${finding.id}:${finding.detected_at.toISOString()}`,
          object: toFindingObject(finding),
          orderId: finding.order_id ?? undefined,
        });
      }
    }
    const resolved = await tx.query(
      `UPDATE reconciliation_findings
          SET status = 'resolved', resolved_at = now(), resolved_by = 'system',
              resolution_note = 'no longer observed by reconciliation'
        WHERE status = 'open' AND last_seen_at < $1 AND ($2 OR kind NOT LIKE 'fiat\\_%')
          AND (order_id IS NULL OR order_id NOT IN (SELECT id FROM orders WHERE chain_id = ANY($3)))`,
      [startedAt, fiat, skipped],
    );
    await tx.query(
      `INSERT INTO reconciliation_runs (id, started_at, finished_at, found, new_findings)
       VALUES ($1, $2, clock_timestamp(), $3, $4)`,
      [id, startedAt, found, fresh],
    );
    const run: ReconciliationRunT = {
      id,
      object: "reconciliation_run",
      started: Math.floor(startedAt.getTime() / 1000),
      finished: Math.floor(Date.now() / 1000),
      found,
      new_findings: fresh,
      auto_resolved: resolved.rowCount ?? 0,
      fiat_checked: fiat,
      kinds,
    };
    return run;
  });
  if (result) {
    ctx.metrics.reconciliationRuns.inc({ result: "ok" });
    await refreshGauges(ctx);
    await checkEndpointHealth(ctx);
    if (result.fiat_checked) await checkTreasury(ctx);
  }
  return result;
}

async function refreshGauges(ctx: AppContext): Promise<void> {
  const { rows } = await ctx.pool.query<{ kind: string; n: number }>(
    "SELECT kind, count(*)::int AS n FROM reconciliation_findings WHERE status = 'open' GROUP BY kind",
  );
  ctx.metrics.reconciliationOpenFindings.reset();
  for (const r of rows) ctx.metrics.reconciliationOpenFindings.set({ kind: r.kind }, r.n);
  const holds = await ctx.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM risk_reviews WHERE status = 'open' AND outcome = 'hold'",
  );
  ctx.metrics.riskOpenHolds.set(holds.rows[0]?.n ?? 0);
}

/**
 * How each signer's transaction sender is doing, read from the database (so any API process can
 * answer, whichever one drives the signer): queue length, transactions in flight, the oldest unmined
 * one's age, what is stuck and why, the process driving it, and the last chain reset. Served in
 * /readyz (`senders`, and the `senders` check: not ok, so `degraded`, while anything is stuck), set on
 * the sender gauges of /metrics, and printed by `pier status`.
 *
 * Stuck: an open intent older than PIER_TX_STUCK_AFTER_SECONDS (sent and unmined, or still queued).
 */
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import type { SenderReportT, StuckTxT } from "../schemas/senderReport.ts";
import type { ChainContext } from "./chainContext.ts";
import { senderSigners } from "./signers.ts";

export interface SendersHealth {
  ok: boolean;
  detail: string;
  senders: SenderReportT[];
}

const STUCK_LISTED = 10;

/** Every network's signers, one report each (labelled by chain id). */
export async function senderStatus(ctx: AppContext): Promise<SendersHealth> {
  const reports = await Promise.all(ctx.networks.list.map((net) => networkSenders(ctx, net)));
  const senders = reports.flat();
  const ok = senders.every((s) => s.stuck.length === 0);
  return { ok, detail: describe(senders, ok), senders };
}

async function networkSenders(ctx: AppContext, net: ChainContext): Promise<SenderReportT[]> {
  const chainId = net.chainId;
  const threshold = ctx.config.txSender.stuckAfterSeconds;
  // One transaction, so every age is measured from the same now() (a transaction's start). Run on
  // separate connections, each query had its own now(), and a report could show a transaction stuck
  // for 3 s beside an oldest unmined age of 2 s. One after another: a client runs one query at a time,
  // and pg deprecates handing it the next before the last has answered.
  const [counts, stuck, states, resets] = await withTransaction(
    ctx.pool,
    async (db) =>
      [
        await db.query<{ signer: string; queued: number; in_flight: number; oldest_unmined: number }>(
          `SELECT signer, count(*) FILTER (WHERE status = 'queued')::int AS queued,
              count(*) FILTER (WHERE status = 'sent')::int AS in_flight,
              COALESCE(EXTRACT(EPOCH FROM now() - min(first_sent_at) FILTER (WHERE status = 'sent')), 0)::float8 AS oldest_unmined
         FROM chain_txs WHERE chain_id = $1 AND status IN ('queued', 'sent') GROUP BY signer`,
          [chainId],
        ),
        await db.query<
          Omit<StuckTxT, "reason"> & {
            signer: string;
            stuck_reason: string | null;
            cancel_message: string | null;
          }
        >(
          `SELECT * FROM (
         SELECT id, kind, status, signer, nonce::text, tx_hash, attempts, stuck_reason, cancel_message,
                EXTRACT(EPOCH FROM now() - COALESCE(first_sent_at, created_at))::float8 AS age_seconds,
                row_number() OVER (PARTITION BY signer ORDER BY seq) AS rank
           FROM chain_txs
          WHERE chain_id = $1 AND status IN ('queued', 'sent')
            AND COALESCE(first_sent_at, created_at) < now() - make_interval(secs => $2)) s
        WHERE rank <= $3 ORDER BY signer, rank`,
          [chainId, threshold, STUCK_LISTED],
        ),
        await db.query<{
          signer: string;
          genesis_hash: string;
          next_nonce: string;
          driver: string | null;
          driver_seen: number | null;
        }>(
          `SELECT signer, genesis_hash, next_nonce::text, driver,
              EXTRACT(EPOCH FROM now() - driver_seen_at)::float8 AS driver_seen
         FROM chain_signer_state WHERE chain_id = $1`,
          [chainId],
        ),
        await db.query<{
          signer: string;
          detected_at: Date;
          previous_genesis: string | null;
          genesis_hash: string;
          abandoned: number;
        }>(
          `SELECT DISTINCT ON (signer) signer, detected_at, previous_genesis, genesis_hash, abandoned
         FROM chain_resets WHERE chain_id = $1 AND detected_at > now() - interval '1 day'
        ORDER BY signer, detected_at DESC`,
          [chainId],
        ),
      ] as const,
  );
  const senders = senderSigners(net.signers).map((who): SenderReportT => {
    const count = counts.rows.find((r) => r.signer === who.address);
    const state = states.rows.find((r) => r.signer === who.address);
    const reset = resets.rows.find((r) => r.signer === who.address);
    const driverAge =
      state?.driver_seen === null || state?.driver_seen === undefined ? null : Math.floor(state.driver_seen);
    const undriven = driverAge === null || driverAge > threshold;
    return {
      chain_id: chainId,
      signer: who.address,
      roles: who.roles,
      genesis_hash: state?.genesis_hash ?? null,
      next_nonce: state?.next_nonce ?? null,
      driver: state?.driver ?? null,
      driver_seen_seconds_ago: driverAge,
      queued: count?.queued ?? 0,
      in_flight: count?.in_flight ?? 0,
      oldest_unmined_seconds: Math.floor(count?.oldest_unmined ?? 0),
      stuck: stuck.rows
        .filter((r) => r.signer === who.address)
        .map((r) => {
          const age = Math.floor(r.age_seconds);
          let reason =
            r.stuck_reason ??
            (r.status === "sent"
              ? `unmined for ${age} s after ${r.attempts} attempt(s)`
              : `queued for ${age} s`);
          if (r.cancel_message) reason = `being replaced by a no-op (${r.cancel_message}); ${reason}`;
          if (undriven)
            reason = `no API process is sending for this signer (workers running? PIER_WORKERS); ${reason}`;
          return {
            id: r.id,
            kind: r.kind,
            status: r.status,
            nonce: r.nonce,
            tx_hash: r.tx_hash,
            attempts: r.attempts,
            age_seconds: age,
            reason,
          };
        }),
      last_reset: reset
        ? {
            detected_at: Math.floor(reset.detected_at.getTime() / 1000),
            previous_genesis: reset.previous_genesis,
            genesis_hash: reset.genesis_hash,
            abandoned: reset.abandoned,
          }
        : null,
    };
  });
  return senders;
}

/** Sets the per-signer gauges of /metrics from a report. */
export function setSenderGauges(ctx: AppContext, health: SendersHealth): void {
  for (const s of health.senders) {
    const labels = { chain_id: String(s.chain_id), signer: s.signer };
    ctx.metrics.chainTxOldestUnmined.set(labels, s.oldest_unmined_seconds);
    ctx.metrics.chainTxInFlight.set(labels, s.in_flight);
    ctx.metrics.chainTxQueued.set(labels, s.queued);
    ctx.metrics.chainTxStuck.set(labels, s.stuck.length);
  }
}

function describe(senders: SenderReportT[], ok: boolean): string {
  const parts: string[] = [];
  for (const s of senders) {
    const name = `${s.signer} (${s.roles.join(", ")})`;
    const first = s.stuck[0];
    if (first) {
      const tx = `${first.kind} ${first.id}${first.nonce === null ? "" : ` nonce ${first.nonce}`}${first.tx_hash ? ` ${first.tx_hash}` : ""}`;
      parts.push(`${name}: ${s.stuck.length} stuck, first ${tx}: ${first.reason}`);
    }
    if (s.last_reset) {
      const when = new Date(s.last_reset.detected_at * 1000).toISOString();
      parts.push(
        `${name}: chain reset at ${when} (genesis ${short(s.last_reset.previous_genesis)} -> ${short(s.last_reset.genesis_hash)}), ${s.last_reset.abandoned} open transaction(s) abandoned`,
      );
    }
  }
  if (ok) {
    const queued = senders.reduce((n, s) => n + s.queued, 0);
    const inFlight = senders.reduce((n, s) => n + s.in_flight, 0);
    const oldest = Math.max(0, ...senders.map((s) => s.oldest_unmined_seconds));
    parts.unshift(
      `${senders.length} signer(s): ${queued} queued, ${inFlight} in flight, oldest unmined ${oldest} s`,
    );
  }
  return parts.join("; ");
}

function short(hash: string | null): string {
  return hash ? `${hash.slice(0, 10)}…` : "unknown";
}

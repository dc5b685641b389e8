/**
 * The order syncer: brings each order's stored status in step with the indexer's payment row and the
 * chain head, and stores the resulting events in the same transaction as the status change. It only
 * looks at orders that can still change and whose payment row differs from what was last copied
 * (the fingerprint), plus orders that wait on depth or on their deadline. After a full pass that found
 * nothing, later passes stop at their first query (readSyncState) while the indexer stores no payment
 * event and no order waits on depth or its deadline; a full pass still runs every PIER_SYNC_FULL_PASS_MS.
 *
 * One process syncs at a time (advisory lock); every step is idempotent, so a crash anywhere is
 * recovered by the next tick.
 */

import pLimit from "p-limit";
import { getAddress } from "viem";
import type { ChainContext } from "../chain/chainContext.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { recordEvent } from "../events/recordEvent.ts";
import { type IndexerProgress, parseCheckpoint } from "../indexer/indexerProgress.ts";
import { refundPaymentOfCanceledOrder } from "../refunds/refunds.ts";
import { assessPayment } from "../risk/assessPayment.ts";
import { type DeriveInput, deriveStatus } from "./deriveStatus.ts";
import { handleForeignPayments } from "./foreignPayments.ts";
import type { OrderRow, PaymentSnapshot } from "./orderRow.ts";
import { orderTransitions } from "./orderTransitions.ts";
import { toOrderObject } from "./toOrderObject.ts";

const SYNC_LOCK = 0x5059_4e43; // "SYNC"
/** Orders looked at per pass; a pass that took a full batch asks for the next at once (jobs/workers.ts). */
export const SYNC_BATCH = 200;
/**
 * Orders synced at once within a pass, each in its own transaction. Each is a handful of round trips
 * (lock, read, update, events, their webhook jobs): one after another, a block of 100 payments took
 * seconds to reach its webhooks; in parallel, the round trips overlap. Well under the pool's size.
 */
const SYNC_CONCURRENCY = 8;
/** Blocks re-examined behind the last indexed block, so changes rewritten by a reorg are seen again. */
const REORG_MARGIN = 64n;
/** Canceled and expired orders are still watched this long past their deadline (a late-indexed payment). */
const WATCH_AFTER_DEADLINE_SECONDS = 86_400;

interface PaymentRow {
  status: "escrowed" | "released" | "refunded" | "resolved";
  disputed: boolean;
  held: boolean;
  payer: string;
  refund_to: string;
  method: string;
  paid_tx_hash: string;
  paid_block_number: string;
  paid_block_hash: string;
  paid_at: string;
  release_after: string;
  amount_released: string;
  amount_refunded: string;
  fee_paid: string;
  merchant_credited: string;
  refund_credited: string;
  released_at: string | null;
  released_tx_hash: string | null;
  released_early: boolean | null;
  last_refund_tx_hash: string | null;
  disputed_at: string | null;
  disputed_tx_hash: string | null;
  resolved_at: string | null;
  resolved_tx_hash: string | null;
  fingerprint: string;
}

const fingerprintSql = (p: string) =>
  `concat_ws('|', ${p}.paid_block_hash, ${p}.status, ${p}.disputed::text, ${p}.held::text, ${p}.amount_refunded::text, ${p}.amount_released::text, ${p}.fee_paid::text, ${p}.merchant_credited::text, ${p}.refund_credited::text)`;

export interface SyncResult {
  examined: number;
  events: number;
}

/** One pass; returns what it did, or undefined when another process holds the sync lock. */
export async function syncOrders(ctx: AppContext, net: ChainContext): Promise<SyncResult | undefined> {
  if (!(await holdSyncLock(ctx, net))) return undefined;
  const state = await readSyncState(ctx, net);
  // The indexer's progress is the head for depth: it polls the chain anyway, and an RPC call per
  // pass (every 100 ms) would cost more than the pass. The RPC head is refreshed every few seconds.
  const indexer = state.indexer;
  if (indexer) net.head.observe({ number: indexer.blockNumber, timestamp: indexer.timestamp });
  const head = await net.head.refreshIfOlder(HEAD_REFRESH_MS);
  if (indexer)
    ctx.metrics.indexerLag.set(
      { chain_id: String(net.chainId) },
      Math.max(0, Number(head.number - indexer.blockNumber)),
    );
  // Each block the indexer commits wakes the sync, most of them (an idle chain's every block) with nothing
  // for it: after a full pass that found nothing, a pass ends here while nothing it looks at has changed.
  const quiet = net.sync.quiet;
  const chainId = String(net.chainId);
  if (
    quiet &&
    state.key === quiet.key &&
    !state.due &&
    performance.now() - quiet.at < ctx.config.syncFullPassMs
  ) {
    ctx.metrics.syncPasses.inc({ chain_id: chainId, kind: "quiet" });
    return { examined: 0, events: 0 };
  }
  net.sync.quiet = undefined;
  ctx.metrics.syncPasses.inc({ chain_id: chainId, kind: "full" });
  const now = net.head.now();
  // Payments the indexer changed since the last pass (a margin of blocks covers reorgs), from its
  // event table's block index; the fingerprint filter drops orders already in step.
  let watermark = net.sync.watermark;
  // The indexer went back below what it had processed: a reorg deeper than the margin, or a chain
  // replaced under the same id (a restarted dev chain) whose blocks start again from 0. Scan it all.
  if (indexer && indexer.blockNumber < watermark) watermark = 0n;
  const since = watermark > REORG_MARGIN ? watermark - REORG_MARGIN : 0n;
  const { rows } = await ctx.pool.query<{ id: string }>(
    `SELECT o.id, o.seq FROM orders o
         JOIN ${ctx.tables.payment} p ON p.chain_id = o.chain_id AND p.id = o.payment_id
        WHERE o.chain_id = $1
          AND o.payment_id IN (SELECT e.payment_id FROM ${ctx.tables.paymentEvent} e
                                WHERE e.chain_id = $1 AND e.block_number >= $3 AND e.payment_id IS NOT NULL)
          AND o.sync_fingerprint IS DISTINCT FROM ${fingerprintSql("p")}
          AND NOT (o.status IN ('canceled', 'expired') AND o.deadline < $2 - ${WATCH_AFTER_DEADLINE_SECONDS})
       UNION
       -- Paid orders whose payment row is gone (reorg) or that wait on confirmation depth.
       SELECT o.id, o.seq FROM orders o
        WHERE o.chain_id = $1 AND o.status IN ('processing', 'escrowed', 'disputed')
          AND (o.status = 'processing' OR NOT EXISTS (
                SELECT 1 FROM ${ctx.tables.payment} p WHERE p.chain_id = o.chain_id AND p.id = o.payment_id))
       UNION
       SELECT o.id, o.seq FROM orders o WHERE o.chain_id = $1 AND o.status = 'open' AND o.deadline <= $2
       ORDER BY seq LIMIT ${SYNC_BATCH}`,
    [net.chainId, now, since.toString()],
  );
  // Payments with the terms of an option the order is not bound to: they bind an open order (synced
  // below) or are refunded as duplicates (foreignPayments.ts).
  const foreign = await handleForeignPayments(ctx, net, indexer?.blockNumber);
  const found = rows.length + foreign.seen;
  for (const id of foreign.bound) if (!rows.some((r) => r.id === id)) rows.push({ id });
  // Every order is tried even if one fails (the others are still synced); the first failure is then
  // reported, and the watermark stays put so the next pass looks again.
  const slots = pLimit(SYNC_CONCURRENCY);
  const settled = await Promise.allSettled(
    rows.map(({ id }) =>
      slots(() => withTransaction(ctx.pool, (tx) => syncOne(ctx, net, tx, id, { now, head, indexer }))),
    ),
  );
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  const events = settled.reduce((n, r) => n + (r.status === "fulfilled" ? r.value : 0), 0);
  // Only move on once a pass took everything in: a full batch leaves work for the next pass.
  if (indexer && rows.length < SYNC_BATCH) net.sync.watermark = indexer.blockNumber;
  // The key was read before this pass's queries: an event stored since then changes it.
  if (found === 0 && state.key !== undefined) net.sync.quiet = { key: state.key, at: performance.now() };
  return { examined: rows.length, events };
}

const HEAD_REFRESH_MS = 5_000;

interface SyncState {
  indexer: IndexerProgress | undefined;
  /**
   * The indexer's payment events as seen now: the highest block holding one, and how many are in the
   * REORG_MARGIN blocks up to it. A new event lands in a block past every stored one (a block is
   * committed whole), so it moves the height; a reorg deletes the events of the blocks it replaces, so it
   * moves the height or the count, unless it wrote the same number of events back at the same height.
   * Undefined when it could not be read (the indexer has not created its tables yet).
   */
  key: string | undefined;
  /** An order waits on confirmation depth or has reached its deadline (as of the last pass's clock). */
  due: boolean;
}

/**
 * The indexer's progress, its payment-event key and whether an order is due, in one query. Postgres locks
 * a statement's tables in the order it reads them: `payment_event` before `_ponder_checkpoint`, the order
 * in which a reorg in the indexer locks them, so this never holds one the reorg needs while it waits for
 * another (indexerLocks.test.ts).
 */
async function readSyncState(ctx: AppContext, net: ChainContext): Promise<SyncState> {
  try {
    const { rows } = await ctx.pool.query<{ checkpoint: string | null; key: string; due: boolean }>(
      `SELECT (SELECT coalesce(m.top::text, '') || ':' ||
                      (SELECT count(*) FROM ${ctx.tables.paymentEvent} e
                        WHERE e.chain_id = $1 AND e.block_number >= m.top - ${REORG_MARGIN})
                 FROM (SELECT max(block_number) AS top FROM ${ctx.tables.paymentEvent} WHERE chain_id = $1) m
              ) AS key,
              (SELECT latest_checkpoint FROM ${ctx.tables.checkpoint} WHERE chain_id = $1) AS checkpoint,
              (EXISTS (SELECT 1 FROM orders o WHERE o.chain_id = $1 AND o.status = 'processing')
                OR EXISTS (SELECT 1 FROM orders o WHERE o.chain_id = $1 AND o.status = 'open' AND o.deadline <= $2)
              ) AS due`,
      [net.chainId, net.head.now()],
    );
    const row = rows[0]!;
    return { indexer: parseCheckpoint(row.checkpoint), key: row.key, due: row.due };
  } catch {
    // As indexerProgress: no tables yet. The full pass runs (and reports what fails).
    return { indexer: undefined, key: undefined, due: true };
  }
}

/**
 * One syncer among all API processes: the first to take the session advisory lock keeps it (and its
 * connection) until it stops or its connection dies, which releases the lock for another process.
 */
async function holdSyncLock(ctx: AppContext, net: ChainContext): Promise<boolean> {
  if (net.sync.lockHolder) return true;
  const client = await ctx.pool.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS ok", [
      SYNC_LOCK,
      net.chainId,
    ]);
    if (!rows[0]?.ok) {
      client.release();
      return false;
    }
  } catch (error) {
    client.release(true);
    throw error;
  }
  client.on("error", () => {
    net.sync.lockHolder = undefined;
    client.release(true);
  });
  net.sync.lockHolder = client;
  return true;
}

/** Gives the sync lock back (clean shutdown). */
export async function releaseSyncLock(net: ChainContext): Promise<void> {
  const client = net.sync.lockHolder;
  if (!client) return;
  net.sync.lockHolder = undefined;
  await client.query("SELECT pg_advisory_unlock($1, $2)", [SYNC_LOCK, net.chainId]).catch(() => {});
  client.release();
}

async function syncOne(
  ctx: AppContext,
  net: ChainContext,
  tx: Db,
  id: string,
  env: Pick<DeriveInput, "now" | "head" | "indexer">,
): Promise<number> {
  const order = (await tx.query<OrderRow>("SELECT * FROM orders WHERE id = $1 FOR UPDATE", [id])).rows[0];
  if (!order) return 0;
  const { rows } = await tx.query<PaymentRow>(
    `SELECT p.*, ${fingerprintSql("p")} AS fingerprint FROM ${ctx.tables.payment} p WHERE p.chain_id = $1 AND p.id = $2`,
    [order.chain_id, order.payment_id],
  );
  const p = rows[0] ?? null;
  const status = deriveStatus({
    ...env,
    canceled: order.canceled_at !== null,
    deadline: BigInt(order.deadline),
    confirmations: net.confirmations,
    payment: p
      ? {
          status: p.status,
          disputed: p.disputed,
          paidBlockNumber: BigInt(p.paid_block_number),
          amountReleased: BigInt(p.amount_released),
        }
      : null,
  });
  const fingerprint = p?.fingerprint ?? null;
  if (status === order.status && fingerprint === order.sync_fingerprint) return 0;

  const prevPayment = order.payment;
  const planned = orderTransitions(
    order.id,
    {
      status: order.status,
      amountRefunded: BigInt(order.amount_refunded),
      paidBlockHash: prevPayment?.block_hash ?? null,
      releasedTxHash: null,
      lastRefundTxHash: null,
      resolvedTxHash: null,
      disputedTxHash: null,
      credited: creditedOf(prevPayment),
    },
    {
      status,
      amountRefunded: BigInt(p?.amount_refunded ?? "0"),
      paidBlockHash: p?.paid_block_hash.toLowerCase() ?? null,
      releasedTxHash: p?.released_tx_hash ?? null,
      lastRefundTxHash: p?.last_refund_tx_hash ?? null,
      resolvedTxHash: p?.resolved_tx_hash ?? null,
      disputedTxHash: p?.disputed_tx_hash ?? null,
      credited: p ? BigInt(p.merchant_credited) + BigInt(p.refund_credited) : 0n,
    },
  );
  const updated = (
    await tx.query<OrderRow>(
      `UPDATE orders SET status = $2, payment = $3, amount_refunded = $4, amount_released = $5, fee_paid = $6,
              sync_fingerprint = $7, status_changed_at = CASE WHEN status = $2 THEN status_changed_at ELSE now() END
        WHERE id = $1 RETURNING *`,
      [
        order.id,
        status,
        p ? JSON.stringify(snapshotOf(p)) : null,
        p?.amount_refunded ?? "0",
        p?.amount_released ?? "0",
        p?.fee_paid ?? "0",
        fingerprint,
      ],
    )
  ).rows[0]!;
  // The observed-payment hook of the risk rules (risk/assessPayment.ts), once per payment seen.
  if (!prevPayment && p) await assessPayment(ctx, tx, updated);
  let stored = 0;
  const object = toOrderObject(ctx, updated);
  for (const event of planned) {
    const eventId = await recordEvent(ctx, tx, {
      merchantId: order.merchant_id,
      livemode: order.livemode,
      type: event.type,
      dedupeKey: event.dedupeKey,
      object,
      orderId: order.id,
      chainId: order.chain_id,
      onchainOrderId: order.onchain_order_id,
    });
    if (eventId) stored++;
  }
  // Money for a canceled order (its signed terms stayed payable): back to the payer, once it is final.
  if (updated.canceled_at !== null && status === "escrowed")
    await refundPaymentOfCanceledOrder(ctx, tx, updated);
  if (planned.length > 0) {
    ctx.log.info(
      {
        orderId: order.id,
        onchainOrderId: order.onchain_order_id,
        from: order.status,
        to: status,
        events: stored,
      },
      "order changed",
    );
  }
  return stored;
}

function creditedOf(p: PaymentSnapshot | null): bigint {
  return BigInt(p?.merchant_credited ?? "0") + BigInt(p?.refund_credited ?? "0");
}

function snapshotOf(p: PaymentRow): PaymentSnapshot {
  return {
    payer: getAddress(p.payer),
    refund_to: getAddress(p.refund_to),
    method: p.method,
    tx_hash: p.paid_tx_hash.toLowerCase(),
    block_number: p.paid_block_number,
    block_hash: p.paid_block_hash.toLowerCase(),
    paid_at: p.paid_at,
    release_after: p.release_after,
    held: p.held,
    disputed: p.disputed,
    disputed_at: p.disputed_at,
    resolved_at: p.resolved_at,
    released_at: p.released_at,
    released_tx_hash: p.released_tx_hash?.toLowerCase() ?? null,
    released_early: p.released_early,
    status: p.status,
    merchant_credited: p.merchant_credited,
    refund_credited: p.refund_credited,
  };
}

/**
 * Background work of an API process: the webhook delivery workers (pg-boss), the transaction senders
 * (one per signer, advisory-locked: chain/senderSupervisor.ts) and loops: order sync (woken by the
 * indexer's commits: indexer/indexedNotifications.ts), keeper, maintenance. Everything is safe to run in several processes at once: queues and advisory locks
 * decide who does what.
 */
import pLimit from "p-limit";
import type { Job, Queue } from "pg-boss";
import { createBridgeQueues, startBridgeWorkers } from "../bridge/workers.ts";
import { startTxSenders } from "../chain/senderSupervisor.ts";
import type { AppContext } from "../context.ts";
import { sweepCredits } from "../credits/sweepCredits.ts";
import { purgeIdempotencyKeys } from "../idempotency/idempotent.ts";
import { ensureIndexedTrigger, listenIndexed } from "../indexer/indexedNotifications.ts";
import { releaseMatured } from "../keeper/releaseMatured.ts";
import { type Loop, runEvery } from "../lib/loop.ts";
import { releaseSyncLock, SYNC_BATCH, syncOrders } from "../orders/syncOrders.ts";
import { startReconciliationJob } from "../reconciliation/reconciliationJob.ts";
import { chargeDue } from "../subscriptions/chargeDue.ts";
import { type DeliveryJob, deliverWebhook } from "../webhooks/deliverWebhook.ts";
import { sweepStuckDeliveries } from "../webhooks/sweepStuckDeliveries.ts";
import { legacySenderQueue, WEBHOOK_QUEUE } from "./queues.ts";
import { WEBHOOK_BACKSTOP_SECONDS } from "./retryWakeups.ts";

/**
 * Workers refresh a heartbeat on every job they hold; a job whose process died (kill -9, a lost host) is
 * retried once the heartbeat is this many seconds old, instead of waiting out its queue's expiry.
 */
const HEARTBEAT_SECONDS = 10;

async function ensureQueue(ctx: AppContext, name: string, wanted: Omit<Queue, "name">): Promise<void> {
  const options = { heartbeatSeconds: HEARTBEAT_SECONDS, ...wanted };
  const existing = await ctx.boss.getQueue(name);
  if (existing) {
    // A queue made by an older version keeps its options until told: bring the mutable ones in line.
    const { policy: _fixed, ...mutable } = options;
    const stale = Object.entries(mutable).some(([k, v]) => existing[k as keyof typeof existing] !== v);
    if (stale) {
      await ctx.boss.updateQueue(name, mutable);
      ctx.log.info({ queue: name, options: mutable }, "queue options updated");
    }
    return;
  }
  try {
    await ctx.boss.createQueue(name, options);
  } catch (error) {
    if (!(await ctx.boss.getQueue(name))) throw error; // another process created it first: fine
  }
}

/** The queues must exist before anything sends to them (routes do), so this runs in every process. */
export async function createQueues(ctx: AppContext): Promise<void> {
  // Just above the HTTP timeout: a job held by a crashed process is expired and retried soon after.
  const expire = Math.ceil(ctx.config.webhook.timeoutMs / 1000) + 5;
  await ensureQueue(ctx, WEBHOOK_QUEUE, { notify: true, expireInSeconds: expire });
  await createBridgeQueues(ctx, ensureQueue);
  // Older versions sent chain transactions through one pg-boss queue per signer. The intents are the
  // rows of chain_txs, which the senders read directly now: their jobs are leftovers.
  const legacy = ctx.networks.list.flatMap((net) =>
    [
      net.signers.operator,
      net.signers.keeper,
      net.signers.arbiter,
      net.signers.treasury,
      net.signers.bridgeSigner,
    ]
      .filter((s) => s !== undefined)
      .map((s) => legacySenderQueue(net.chainId, s.address)),
  );
  for (const name of new Set(legacy)) {
    if (!(await ctx.boss.getQueue(name))) continue;
    await ctx.boss.deleteQueue(name).catch(() => {}); // another process may be deleting it too
    ctx.log.info({ queue: name }, "legacy sender queue removed (chain_txs rows are the queue now)");
  }
}

export async function startWorkers(ctx: AppContext): Promise<() => Promise<void>> {
  await createQueues(ctx);
  // At most PIER_WEBHOOK_CONCURRENCY deliveries in flight: one slot per HTTP request. Workers take two
  // jobs per fetch and, while fetches come back full, fetch again at once (pg-boss's burst mode). With
  // one job per fetch each worker waited out its poll between jobs: a backlog of 250 events drained at
  // 12 a second with 25 workers (load bench, 12 s blocks: event stored -> webhook p99 10.8 s).
  const slots = pLimit(ctx.config.webhook.concurrency);
  const deliver = async (jobs: Job<DeliveryJob>[]) => {
    // Both run to the end; a failure then fails the batch, and the job that had succeeded finds its
    // attempt done when retried (deliverWebhook.ts), so nothing is sent twice.
    const done = await Promise.allSettled(jobs.map((job) => slots(() => deliverWebhook(ctx, job.data))));
    const failed = done.find((d) => d.status === "rejected");
    if (failed) throw failed.reason;
  };
  // One worker per slot, each registered on its own so each can be woken by id: NOTIFY wakes them all for
  // a job inserted ready, this process's retry timers (retryWakeups.ts) for a retry it scheduled, and the
  // slow poll catches the rest.
  const webhookWorkers: string[] = [];
  for (let i = 0; i < ctx.config.webhook.concurrency; i++) {
    webhookWorkers.push(
      await ctx.boss.work<DeliveryJob>(
        WEBHOOK_QUEUE,
        {
          batchSize: 2,
          burstWhenBatchFull: true,
          pollingIntervalSeconds: WEBHOOK_BACKSTOP_SECONDS,
          notifyPollingIntervalSeconds: WEBHOOK_BACKSTOP_SECONDS,
        },
        deliver,
      ),
    );
  }
  ctx.webhookRetries.attach(() => {
    for (const id of webhookWorkers) ctx.boss.notifyWorker(id);
  });
  const senders = startTxSenders(ctx);
  const bridge = await startBridgeWorkers(ctx);
  await startReconciliationJob(ctx, ensureQueue);
  // One sync loop and one keeper per network: a network whose RPC fails only stalls its own loops. The
  // indexer's commits kick the chain's sync; its timer is the safety net for lost notifications.
  const syncLoops = new Map<number, Loop>();
  const perNetwork = ctx.networks.list.flatMap((net) => {
    const log = ctx.log.child({ chainId: net.chainId });
    const sync = runEvery(
      "sync",
      ctx.config.syncIntervalMs,
      async () => {
        const pass = await syncOrders(ctx, net);
        // A full batch that changed something: more is waiting, so go again now, not on the timer.
        if (pass && pass.examined >= SYNC_BATCH && pass.events > 0) sync.kick();
      },
      log,
    );
    syncLoops.set(net.chainId, sync);
    return [
      sync,
      runEvery(
        "keeper",
        ctx.config.keeperIntervalMs,
        async () => {
          try {
            const run = await releaseMatured(ctx, net);
            if (run)
              ctx.metrics.keeperRuns.inc({
                chain_id: String(net.chainId),
                result: run.batches > 0 ? "queued" : "idle",
              });
            await sweepCredits(ctx, net);
          } catch (error) {
            ctx.metrics.keeperRuns.inc({ chain_id: String(net.chainId), result: "error" });
            throw error;
          }
        },
        log,
      ),
      // Subscriptions due on this network: invoices and their charges (subscriptions/chargeDue.ts).
      runEvery("subscriptions", ctx.config.keeperIntervalMs, () => chargeDue(ctx, net), log),
    ];
  });
  const notified = ctx.config.syncNotify
    ? [
        listenIndexed(ctx.config.databaseUrl, (chainId) => syncLoops.get(chainId)?.kick(), ctx.log),
        // The trigger comes back within this long after a new indexer build recreates its tables.
        runEvery(
          "indexer-trigger",
          5_000,
          () => ensureIndexedTrigger(ctx.pool, ctx.config.indexerSchema),
          ctx.log,
        ),
      ]
    : [];
  const loops = [
    ...perNetwork,
    ...notified,
    runEvery(
      "maintenance",
      10_000,
      async () => {
        await sweepStuckDeliveries(ctx);
        await purgeIdempotencyKeys(ctx);
      },
      ctx.log,
    ),
  ];
  return async () => {
    ctx.webhookRetries.stop();
    await Promise.all([...loops.map((l) => l.stop()), bridge.stop(), senders.stop()]);
    await Promise.all(ctx.networks.list.map((net) => releaseSyncLock(net)));
  };
}

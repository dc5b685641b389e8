/**
 * A safety net under the job queue: a pending delivery whose attempt is long overdue and not leased
 * (its job was lost, or its worker died and pg-boss has not expired the job yet) gets a fresh job. The
 * attempt number and the lease make a duplicate job harmless.
 */
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { bossDb, WEBHOOK_QUEUE } from "../jobs/queues.ts";

export async function sweepStuckDeliveries(ctx: AppContext): Promise<number> {
  const graceSeconds = Math.ceil(ctx.config.webhook.timeoutMs / 1000) + 10;
  return withTransaction(ctx.pool, async (tx) => {
    const { rows } = await tx.query<{ id: string; attempts: number }>(
      `SELECT id, attempts FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at < now() - make_interval(secs => $1)
          AND (lease_until IS NULL OR lease_until < now())
        ORDER BY next_attempt_at LIMIT 100 FOR UPDATE SKIP LOCKED`,
      [graceSeconds],
    );
    for (const d of rows) {
      await ctx.boss.send(WEBHOOK_QUEUE, { deliveryId: d.id, attempt: d.attempts + 1 }, { db: bossDb(tx) });
      await tx.query("UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = $1", [d.id]);
    }
    if (rows.length > 0) ctx.log.warn({ deliveries: rows.length }, "re-queued overdue webhook deliveries");
    return rows.length;
  });
}

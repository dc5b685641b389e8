/**
 * The scheduled reconciliation: a pg-boss cron schedule (PIER_RECONCILIATION_CRON, every 5 minutes by
 * default) sends a job to the `reconciliation` queue; one worker runs it at a time (singleton policy),
 * and the pass itself takes an advisory lock, so several API processes never reconcile at once.
 */
import type { Queue } from "pg-boss";
import type { AppContext } from "../context.ts";
import { runReconciliation } from "./runReconciliation.ts";

export const RECONCILIATION_QUEUE = "reconciliation";

export async function startReconciliationJob(
  ctx: AppContext,
  ensureQueue: (ctx: AppContext, name: string, options: Omit<Queue, "name">) => Promise<void>,
): Promise<void> {
  await ensureQueue(ctx, RECONCILIATION_QUEUE, { policy: "singleton", expireInSeconds: 600 });
  await ctx.boss.schedule(RECONCILIATION_QUEUE, ctx.config.reconciliation.cron, {}, { tz: "UTC" });
  await ctx.boss.work(RECONCILIATION_QUEUE, { batchSize: 1, pollingIntervalSeconds: 10 }, async () => {
    try {
      const run = await runReconciliation(ctx);
      if (run) ctx.log.info({ ...run, kinds: undefined }, "reconciliation pass");
    } catch (error) {
      ctx.metrics.reconciliationRuns.inc({ result: "error" });
      throw error;
    }
  });
}

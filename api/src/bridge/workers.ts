/**
 * The bridge's background work, started with the API's other workers (jobs/workers.ts): the fiat-event
 * fiat-refund and fiat-payout queues (one job at a time per process, so one session's events apply in
 * order), the poll of sessions whose webhook did not come (pollSessions.ts), and a treasury watch that
 * keeps the balance gauges in /metrics fresh.
 */
import type { Queue } from "pg-boss";
import type { AppContext } from "../context.ts";
import { runEvery } from "../lib/loop.ts";
import { sendFiatRefund } from "./fiatRefunds.ts";
import { handleFiatEvent } from "./handleFiatEvent.ts";
import { holdReversed } from "./holdReversed.ts";
import { sendPayout } from "./payouts.ts";
import { pollSessions } from "./pollSessions.ts";
import { FIAT_EVENT_QUEUE, FIAT_PAYOUT_QUEUE, FIAT_REFUND_QUEUE } from "./queues.ts";
import { treasuryAccounts, treasuryBalance } from "./treasury.ts";
import { refundUnfundable, type UnfundableCapture } from "./unfundable.ts";

export async function createBridgeQueues(
  ctx: AppContext,
  ensureQueue: (ctx: AppContext, name: string, options: Omit<Queue, "name">) => Promise<void>,
): Promise<void> {
  for (const name of [FIAT_EVENT_QUEUE, FIAT_REFUND_QUEUE, FIAT_PAYOUT_QUEUE])
    await ensureQueue(ctx, name, { notify: true, expireInSeconds: 120 });
}

export async function startBridgeWorkers(ctx: AppContext): Promise<{ stop: () => Promise<void> }> {
  const fiat = ctx.fiat;
  const options = {
    batchSize: 1,
    localConcurrency: 1,
    pollingIntervalSeconds: 1,
    notifyPollingIntervalSeconds: 1,
  };
  if (fiat.provider) {
    await ctx.boss.work<{ provider: string; eventId: string }>(FIAT_EVENT_QUEUE, options, async ([job]) => {
      if (job) await handleFiatEvent(ctx, job.data);
    });
    await ctx.boss.work<{ fiatRefundId: string } | { unfundable: UnfundableCapture }>(
      FIAT_REFUND_QUEUE,
      options,
      async ([job]) => {
        if (!job) return;
        if ("unfundable" in job.data) await refundUnfundable(ctx, job.data.unfundable);
        else await sendFiatRefund(ctx, job.data.fiatRefundId);
      },
    );
    await ctx.boss.work<{ payoutId: string }>(FIAT_PAYOUT_QUEUE, options, async ([job]) => {
      if (job) await sendPayout(ctx, job.data.payoutId);
    });
  }
  const poll = fiat.provider
    ? runEvery(
        "fiat-poll",
        5_000,
        async () => {
          await pollSessions(ctx);
          await holdReversed(ctx);
        },
        ctx.log,
      )
    : undefined;
  const watch = runEvery(
    "treasury",
    5_000,
    async () => {
      // One network's RPC failing must not hide the others' balances.
      await Promise.allSettled(treasuryAccounts(ctx).map((account) => treasuryBalance(ctx, account)));
    },
    ctx.log,
  );
  return { stop: async () => void (await Promise.all([watch.stop(), poll?.stop()])) };
}

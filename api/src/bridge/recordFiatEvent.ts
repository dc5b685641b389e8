/**
 * A verified provider event is stored and queued in one transaction: the row in fiat_webhook_event
 * (first writer of a provider event id wins; a re-delivery answers 2xx and does nothing) and its job on
 * the fiat-event queue commit together, so an acknowledged event is never lost and never applied twice.
 * The bridge's own capture answers (the poll path) go through the same door with a synthetic event id.
 */
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import type { FiatEvent } from "../fiat/provider.ts";
import { bossDb } from "../jobs/queues.ts";
import { FIAT_EVENT_QUEUE, FIAT_JOB_OPTIONS } from "./queues.ts";

export async function recordFiatEvent(ctx: AppContext, event: FiatEvent): Promise<{ duplicate: boolean }> {
  const { raw, ...normalized } = event;
  return withTransaction(ctx.pool, async (tx) => {
    const { rowCount } = await tx.query(
      `INSERT INTO fiat_webhook_event (provider, event_id, event_type, payload)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [event.provider, event.id, event.providerType, JSON.stringify({ event: normalized, raw: raw ?? null })],
    );
    if (rowCount !== 1) {
      ctx.metrics.fiatEvents.inc({ kind: "duplicate" });
      return { duplicate: true };
    }
    await ctx.boss.send(
      FIAT_EVENT_QUEUE,
      { provider: event.provider, eventId: event.id },
      { db: bossDb(tx), ...FIAT_JOB_OPTIONS },
    );
    return { duplicate: false };
  });
}

/**
 * Stores an event once (its dedupe key is unique) and, in the same transaction, a delivery row and a
 * durable delivery job for each of the merchant's endpoints that subscribe to its type.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { bossDb, WEBHOOK_QUEUE } from "../jobs/queues.ts";
import { newId } from "../lib/ids.ts";

export interface NewEvent {
  merchantId: string;
  livemode: boolean;
  type: string;
  dedupeKey: string;
  object: unknown;
  orderId?: string;
  chainId?: number;
  onchainOrderId?: string;
}

/** Returns the new event's id, or null when this event was already stored. */
export async function recordEvent(ctx: AppContext, tx: Db, e: NewEvent): Promise<string | null> {
  // The endpoints that subscribe come back with the new row: one round trip per event, not two (the order
  // sync stores events for a whole block of payments at once).
  const { rows } = await tx.query<{ id: string; endpoints: string[] }>(
    `WITH stored AS (
       INSERT INTO events (id, merchant_id, livemode, type, order_id, chain_id, onchain_order_id, dedupe_key, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id)
     SELECT stored.id, ARRAY(
              SELECT w.id FROM webhook_endpoints w
               WHERE w.merchant_id = $2 AND w.livemode = $3 AND w.deleted_at IS NULL AND NOT w.disabled
                 AND ('*' = ANY (w.enabled_events) OR $4 = ANY (w.enabled_events))
               ORDER BY w.id) AS endpoints
       FROM stored`,
    [
      newId("event"),
      e.merchantId,
      e.livemode,
      e.type,
      e.orderId ?? null,
      e.chainId ?? null,
      e.onchainOrderId ?? null,
      e.dedupeKey,
      JSON.stringify({ object: e.object }),
    ],
  );
  const stored = rows[0];
  if (!stored) return null;
  for (const endpointId of stored.endpoints) {
    await enqueueDelivery(ctx, tx, stored.id, endpointId, e.merchantId);
  }
  ctx.metrics.eventsTotal.inc({ type: e.type });
  return stored.id;
}

/** Creates (or re-arms) the delivery of an event to one endpoint and its first job. */
export async function enqueueDelivery(
  ctx: AppContext,
  tx: Db,
  eventId: string,
  endpointId: string,
  merchantId: string,
): Promise<string> {
  const { rows } = await tx.query<{ id: string; attempts: number }>(
    `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, merchant_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (event_id, endpoint_id) DO UPDATE
       SET status = 'pending', next_attempt_at = now(), completed_at = NULL
     RETURNING id, attempts`,
    [newId("delivery"), eventId, endpointId, merchantId],
  );
  const delivery = rows[0]!;
  await ctx.boss.send(
    WEBHOOK_QUEUE,
    { deliveryId: delivery.id, attempt: delivery.attempts + 1 },
    { db: bossDb(tx), retryLimit: 10, retryDelay: 1, retryBackoff: true },
  );
  return delivery.id;
}

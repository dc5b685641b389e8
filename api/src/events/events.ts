/**
 * Reading events and their deliveries: list (with a filter for events not yet delivered everywhere),
 * retrieve, the delivery log of an event, and redelivery on request.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { NotFoundError } from "../errors.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import type { ListQueryT } from "../schemas/common.ts";
import { getEndpoint } from "../webhooks/endpoints.ts";
import { enqueueDelivery } from "./recordEvent.ts";

export interface EventRow {
  id: string;
  merchant_id: string;
  livemode: boolean;
  type: string;
  order_id: string | null;
  data: { object: unknown };
  created_at: Date;
  pending_webhooks: number;
}

const COLUMNS = `id, merchant_id, livemode, type, order_id, data, created_at,
  (SELECT count(*)::int FROM webhook_deliveries d WHERE d.event_id = events.id AND d.status = 'pending') AS pending_webhooks`;

export function toEventObject(row: EventRow) {
  return {
    id: row.id,
    object: "event" as const,
    type: row.type,
    created: Math.floor(row.created_at.getTime() / 1000),
    livemode: row.livemode,
    data: row.data,
    order: row.order_id,
    pending_webhooks: row.pending_webhooks,
  };
}

export interface ListEventsQuery extends ListQueryT {
  type?: string;
  order?: string;
  delivered?: boolean;
}

export function listEvents(db: Db, principal: Principal, query: ListEventsQuery): Promise<Page<EventRow>> {
  const where = ["merchant_id = $1", "livemode = $2"];
  const params: unknown[] = [principal.merchantId, principal.livemode];
  if (query.type) {
    params.push(query.type);
    where.push(`type = $${params.length}`);
  }
  if (query.order) {
    params.push(query.order);
    where.push(`order_id = $${params.length}`);
  }
  if (query.delivered === false) {
    where.push(
      "EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = events.id AND d.status <> 'succeeded')",
    );
  } else if (query.delivered === true) {
    where.push(
      "NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = events.id AND d.status <> 'succeeded')",
    );
  }
  return paginate<EventRow>(db, { table: "events", columns: COLUMNS, where, params, query });
}

export async function getEvent(db: Db, principal: Principal, id: string): Promise<EventRow> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE id = $1 AND merchant_id = $2 AND livemode = $3`,
    [id, principal.merchantId, principal.livemode],
  );
  if (!rows[0]) throw new NotFoundError("event", id);
  return rows[0];
}

export async function listDeliveries(db: Db, principal: Principal, eventId: string) {
  await getEvent(db, principal, eventId);
  const { rows } = await db.query(
    `SELECT d.id, d.endpoint_id, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error,
            d.created_at, d.completed_at,
            COALESCE(json_agg(json_build_object(
              'attempt', a.attempt, 'started_at', extract(epoch FROM a.started_at)::bigint,
              'duration_ms', a.duration_ms, 'status_code', a.status_code, 'error', a.error
            ) ORDER BY a.attempt) FILTER (WHERE a.id IS NOT NULL), '[]') AS attempts_log
       FROM webhook_deliveries d LEFT JOIN webhook_attempts a ON a.delivery_id = d.id
      WHERE d.event_id = $1 GROUP BY d.id ORDER BY d.seq`,
    [eventId],
  );
  return rows.map((d) => ({
    id: d.id as string,
    object: "webhook_delivery" as const,
    event: eventId,
    endpoint: d.endpoint_id as string,
    status: d.status as "pending" | "succeeded" | "failed",
    attempts: d.attempts as number,
    next_attempt_at: d.status === "pending" ? Math.floor((d.next_attempt_at as Date).getTime() / 1000) : null,
    last_status_code: d.last_status_code as number | null,
    last_error: d.last_error as string | null,
    created: Math.floor((d.created_at as Date).getTime() / 1000),
    completed_at: d.completed_at ? Math.floor((d.completed_at as Date).getTime() / 1000) : null,
    attempts_log: d.attempts_log as {
      attempt: number;
      started_at: number;
      duration_ms: number;
      status_code: number | null;
      error: string | null;
    }[],
  }));
}

/** Sends the event again now: to one endpoint, or to every endpoint it was meant for. */
export async function redeliverEvent(
  ctx: AppContext,
  tx: Db,
  principal: Principal,
  eventId: string,
  endpointId?: string,
): Promise<number> {
  const event = await getEvent(tx, principal, eventId);
  let endpoints: string[];
  if (endpointId) {
    endpoints = [(await getEndpoint(tx, principal, endpointId)).id];
  } else {
    const { rows } = await tx.query<{ endpoint_id: string }>(
      `SELECT d.endpoint_id FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
        WHERE d.event_id = $1 AND w.deleted_at IS NULL`,
      [eventId],
    );
    endpoints = rows.map((r) => r.endpoint_id);
  }
  for (const id of endpoints) {
    // Serialize with any in-flight attempt of the same delivery before re-arming it.
    await tx.query("SELECT 1 FROM webhook_deliveries WHERE event_id = $1 AND endpoint_id = $2 FOR UPDATE", [
      event.id,
      id,
    ]);
    await enqueueDelivery(ctx, tx, event.id, id, principal.merchantId);
  }
  return endpoints.length;
}

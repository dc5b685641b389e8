/**
 * Webhook endpoints: create, list, update, delete, and secret rotation. The signing secret is shown when
 * it is created (with the endpoint or by a rotation). After a rotation the old secret keeps signing next
 * to the new one until its grace period ends, so receivers can switch without dropping events.
 */
import type { Db } from "../db/pool.ts";
import { InvalidRequestError, NotFoundError } from "../errors.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { newId, randomBase62 } from "../lib/ids.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import type { ListQueryT } from "../schemas/common.ts";
import { EVENT_TYPES } from "./eventTypes.ts";
import { assertDeliverableUrl } from "./urlPolicy.ts";

export interface EndpointRow {
  id: string;
  merchant_id: string;
  livemode: boolean;
  url: string;
  description: string | null;
  enabled_events: string[];
  disabled: boolean;
  created_at: Date;
}

export function toEndpointObject(row: EndpointRow, secret?: string) {
  return {
    id: row.id,
    object: "webhook_endpoint" as const,
    livemode: row.livemode,
    url: row.url,
    description: row.description,
    enabled_events: row.enabled_events,
    status: row.disabled ? ("disabled" as const) : ("enabled" as const),
    created: Math.floor(row.created_at.getTime() / 1000),
    ...(secret ? { secret } : {}),
  };
}

const COLUMNS = "id, merchant_id, livemode, url, description, enabled_events, disabled, created_at";

function checkEvents(events: string[]): string[] {
  if (events.length === 0)
    throw new InvalidRequestError(
      "parameter_missing",
      "enabled_events needs at least one type",
      "enabled_events",
    );
  for (const e of events) {
    if (e !== "*" && !(EVENT_TYPES as readonly string[]).includes(e)) {
      throw new InvalidRequestError("parameter_invalid", `Unknown event type '${e}'`, "enabled_events");
    }
  }
  return [...new Set(events)];
}

function newSecret(livemode: boolean): string {
  return `whsec_${livemode ? "live" : "test"}_${randomBase62(32)}`;
}

export async function createEndpoint(
  tx: Db,
  principal: Principal,
  input: { url: string; enabled_events: string[]; description?: string },
): Promise<{ row: EndpointRow; secret: string }> {
  const url = await assertDeliverableUrl(input.url, principal.livemode);
  const events = checkEvents(input.enabled_events);
  const { rows } = await tx.query<EndpointRow>(
    `INSERT INTO webhook_endpoints (id, merchant_id, livemode, url, description, enabled_events)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [
      newId("webhookEndpoint"),
      principal.merchantId,
      principal.livemode,
      url.toString(),
      input.description ?? null,
      events,
    ],
  );
  const secret = newSecret(principal.livemode);
  await tx.query("INSERT INTO webhook_secrets (endpoint_id, secret) VALUES ($1, $2)", [rows[0]!.id, secret]);
  return { row: rows[0]!, secret };
}

export async function getEndpoint(
  db: Db,
  principal: Principal,
  id: string,
  forUpdate = false,
): Promise<EndpointRow> {
  const { rows } = await db.query<EndpointRow>(
    `SELECT ${COLUMNS} FROM webhook_endpoints
      WHERE id = $1 AND merchant_id = $2 AND livemode = $3 AND deleted_at IS NULL${forUpdate ? " FOR UPDATE" : ""}`,
    [id, principal.merchantId, principal.livemode],
  );
  if (!rows[0]) throw new NotFoundError("webhook_endpoint", id);
  return rows[0];
}

export function listEndpoints(db: Db, principal: Principal, query: ListQueryT): Promise<Page<EndpointRow>> {
  return paginate<EndpointRow>(db, {
    table: "webhook_endpoints",
    columns: COLUMNS,
    where: ["merchant_id = $1", "livemode = $2", "deleted_at IS NULL"],
    params: [principal.merchantId, principal.livemode],
    query,
  });
}

export async function updateEndpoint(
  tx: Db,
  principal: Principal,
  id: string,
  input: { url?: string; enabled_events?: string[]; description?: string; disabled?: boolean },
): Promise<EndpointRow> {
  const current = await getEndpoint(tx, principal, id, true);
  const url =
    input.url !== undefined
      ? (await assertDeliverableUrl(input.url, principal.livemode)).toString()
      : current.url;
  const events =
    input.enabled_events !== undefined ? checkEvents(input.enabled_events) : current.enabled_events;
  const { rows } = await tx.query<EndpointRow>(
    `UPDATE webhook_endpoints SET url = $2, enabled_events = $3, description = $4, disabled = $5
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, url, events, input.description ?? current.description, input.disabled ?? current.disabled],
  );
  return rows[0]!;
}

export async function deleteEndpoint(tx: Db, principal: Principal, id: string): Promise<void> {
  await getEndpoint(tx, principal, id, true);
  await tx.query("UPDATE webhook_endpoints SET deleted_at = now() WHERE id = $1", [id]);
}

/** New secret now; the current one keeps signing for `expiresIn` seconds (0: stops at once). */
export async function rotateSecret(
  tx: Db,
  principal: Principal,
  id: string,
  expiresIn: number,
): Promise<{ row: EndpointRow; secret: string }> {
  const row = await getEndpoint(tx, principal, id, true);
  await tx.query(
    `UPDATE webhook_secrets SET expires_at = now() + make_interval(secs => $2)
      WHERE endpoint_id = $1 AND (expires_at IS NULL OR expires_at > now() + make_interval(secs => $2))`,
    [id, expiresIn],
  );
  const secret = newSecret(principal.livemode);
  await tx.query("INSERT INTO webhook_secrets (endpoint_id, secret) VALUES ($1, $2)", [id, secret]);
  return { row, secret };
}

/**
 * The audit log: an append-only record of who did what to a merchant (refunds, releases, keys, webhook
 * endpoints, team changes, risk decisions, payouts). Written with the caller's transaction, so an action
 * and its entry commit together; Postgres refuses UPDATE, DELETE and TRUNCATE on the table (0018_team.sql).
 */
import type { FastifyRequest } from "fastify";
import { getAddress, isAddress } from "viem";
import type { Db } from "../db/pool.ts";
import { paginate } from "../lib/paginate.ts";
import type { ListQueryT } from "../schemas/common.ts";
import type { AuditAction } from "./actions.ts";
import { type Actor, type ActorType, recordAudit } from "./recordAudit.ts";

export { type Actor, type ActorType, type AuditEntry, recordAudit } from "./recordAudit.ts";

export interface AuditEntryRow {
  id: string;
  merchant_id: string;
  livemode: boolean | null;
  actor_type: ActorType;
  actor_id: string;
  action: string;
  object_id: string | null;
  details: Record<string, unknown>;
  request_id: string | null;
  created_at: Date;
}

/** Who made a request: the operator's admin key, a signed-in member, or an API key. */
export function requestActor(request: FastifyRequest): Actor {
  if (request.isAdmin) return { type: "admin", id: "admin" };
  const principal = request.principal;
  if (principal.member) return { type: "member", id: principal.member.address };
  return { type: "api_key", id: principal.keyId };
}

/**
 * Records `action` on `objectId` by the request's caller, for the caller's merchant and mode, in `db`
 * (the route's transaction). Team actions pass `livemode: null`.
 */
export function audit(
  db: Db,
  request: FastifyRequest,
  action: AuditAction,
  objectId: string | null,
  details: Record<string, unknown> = {},
  opts: { merchantId?: string; livemode?: boolean | null } = {},
): Promise<void> {
  return recordAudit(db, {
    merchantId: opts.merchantId ?? request.principal.merchantId,
    livemode: opts.livemode === undefined ? request.principal.livemode : opts.livemode,
    actor: requestActor(request),
    action,
    objectId,
    details,
    requestId: request.id,
  });
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  /** Entries of this mode plus the mode-less team entries. */
  livemode: boolean;
}

function conditions(merchantId: string, filter: AuditFilter): { where: string[]; params: unknown[] } {
  const where = ["merchant_id = $1", "(livemode IS NULL OR livemode = $2)"];
  const params: unknown[] = [merchantId, filter.livemode];
  if (filter.action) {
    params.push(filter.action);
    where.push(`action = $${params.length}`);
  }
  if (filter.actor) {
    // Member addresses are stored checksummed: any casing of an address finds them (key ids are exact).
    params.push(isAddress(filter.actor, { strict: false }) ? getAddress(filter.actor) : filter.actor);
    where.push(`actor_id = $${params.length}`);
  }
  return { where, params };
}

const COLUMNS =
  "id, merchant_id, livemode, actor_type, actor_id, action, object_id, details, request_id, created_at";

export async function listAuditEntries(
  db: Db,
  merchantId: string,
  filter: AuditFilter,
  query: ListQueryT,
): Promise<{ data: AuditEntryRow[]; hasMore: boolean }> {
  return paginate<AuditEntryRow>(db, {
    table: "audit_log",
    columns: COLUMNS,
    ...conditions(merchantId, filter),
    query,
  });
}

/** Every matching entry, oldest first, in pages of `batch` (for the CSV export). */
export async function* allAuditEntries(
  db: Db,
  merchantId: string,
  filter: AuditFilter,
  batch = 500,
): AsyncGenerator<AuditEntryRow[]> {
  const { where, params } = conditions(merchantId, filter);
  let after = "0";
  for (;;) {
    const { rows } = await db.query<AuditEntryRow & { seq: string }>(
      `SELECT ${COLUMNS}, seq FROM audit_log WHERE ${where.join(" AND ")} AND seq > $${params.length + 1}
        ORDER BY seq LIMIT $${params.length + 2}`,
      [...params, after, batch],
    );
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.seq;
  }
}

export function toAuditEntryObject(row: AuditEntryRow) {
  return {
    id: row.id,
    object: "audit_entry" as const,
    livemode: row.livemode,
    actor: { type: row.actor_type, id: row.actor_id },
    action: row.action,
    object_id: row.object_id,
    details: row.details,
    request_id: row.request_id,
    created: Math.floor(row.created_at.getTime() / 1000),
  };
}

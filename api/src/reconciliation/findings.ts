/** Reconciliation findings: the stored, deduplicated mismatches; listing, resolving and their API shape. */
import type { Db } from "../db/pool.ts";
import { NotFoundError, StateError } from "../errors.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import type { ListQueryT } from "../schemas/common.ts";

export interface FindingRow {
  id: string;
  merchant_id: string | null;
  livemode: boolean;
  kind: string;
  subject: string;
  order_id: string | null;
  details: Record<string, unknown>;
  status: "open" | "resolved";
  detected_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution_note: string | null;
}

const unix = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

export function toFindingObject(row: FindingRow) {
  return {
    id: row.id,
    object: "reconciliation_finding" as const,
    livemode: row.livemode,
    kind: row.kind,
    subject: row.subject,
    order: row.order_id,
    details: row.details,
    status: row.status,
    detected_at: unix(row.detected_at)!,
    last_seen_at: unix(row.last_seen_at)!,
    resolved_at: unix(row.resolved_at),
    resolved_by: row.resolved_by,
    resolution_note: row.resolution_note,
  };
}

export async function listFindings(
  db: Db,
  principal: Principal,
  query: ListQueryT & { status?: string; kind?: string },
): Promise<Page<FindingRow>> {
  const where = ["merchant_id = $1", "livemode = $2"];
  const params: unknown[] = [principal.merchantId, principal.livemode];
  if (query.status) {
    params.push(query.status);
    where.push(`status = $${params.length}`);
  }
  if (query.kind) {
    params.push(query.kind);
    where.push(`kind = $${params.length}`);
  }
  return paginate<FindingRow>(db, { table: "reconciliation_findings", columns: "*", where, params, query });
}

/** Every finding of a merchant (for reports), newest first, bounded. */
export async function allFindings(
  db: Db,
  principal: Principal,
  status?: string,
  limit = 10_000,
): Promise<FindingRow[]> {
  const { rows } = await db.query<FindingRow>(
    `SELECT * FROM reconciliation_findings WHERE merchant_id = $1 AND livemode = $2
        AND ($3::text IS NULL OR status = $3) ORDER BY seq DESC LIMIT $4`,
    [principal.merchantId, principal.livemode, status ?? null, limit],
  );
  return rows;
}

export async function resolveFinding(
  db: Db,
  principal: Principal,
  id: string,
  note: string | undefined,
): Promise<FindingRow> {
  const { rows } = await db.query<FindingRow>(
    "SELECT * FROM reconciliation_findings WHERE id = $1 AND merchant_id = $2 AND livemode = $3 FOR UPDATE",
    [id, principal.merchantId, principal.livemode],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError("reconciliation finding", id);
  if (row.status === "resolved") {
    throw new StateError("finding_resolved", `This finding was already resolved by ${row.resolved_by}`);
  }
  const updated = await db.query<FindingRow>(
    `UPDATE reconciliation_findings SET status = 'resolved', resolved_at = now(), resolved_by = $2,
            resolution_note = $3 WHERE id = $1 RETURNING *`,
    // A dashboard member by wallet (a session id would name nobody later), a key by its id.
    [id, principal.member?.address ?? principal.keyId, note ?? null],
  );
  return updated.rows[0]!;
}

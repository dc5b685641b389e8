/** A merchant's fiat sessions (newest first), with the incidents (declined, reversed ...) of each. */
import type { Db } from "../db/pool.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import type { ListQueryT } from "../schemas/common.ts";
import { type FiatSessionRow, toFiatSessionObject } from "./sessionRow.ts";

export async function listFiatSessions(
  db: Db,
  principal: Principal,
  query: ListQueryT & { order?: string },
): Promise<Page<ReturnType<typeof toMerchantFiatSession>>> {
  const where = ["merchant_id = $1", "livemode = $2"];
  const params: unknown[] = [principal.merchantId, principal.livemode];
  if (query.order) {
    params.push(query.order);
    where.push(`order_id = $${params.length}`);
  }
  const page = await paginate<FiatSessionRow>(db, {
    table: "fiat_session",
    columns: "*",
    where,
    params,
    query,
  });
  const ids = page.data.map((s) => s.id);
  const { rows } = await db.query<{ session_id: string; kind: string; detail: unknown; created_at: Date }>(
    "SELECT session_id, kind, detail, created_at FROM fiat_incident WHERE session_id = ANY($1) ORDER BY id",
    [ids],
  );
  return {
    ...page,
    data: page.data.map((s) =>
      toMerchantFiatSession(
        s,
        rows.filter((r) => r.session_id === s.id),
      ),
    ),
  };
}

function toMerchantFiatSession(
  row: FiatSessionRow,
  incidents: { kind: string; detail: unknown; created_at: Date }[],
) {
  const { client_secret: _secret, ...rest } = toFiatSessionObject(row);
  return {
    ...rest,
    provider_ref: row.provider_ref,
    incidents: incidents.map((i) => ({
      kind: i.kind,
      detail: i.detail as Record<string, unknown>,
      created: Math.floor(i.created_at.getTime() / 1000),
    })),
  };
}

/** Lists the caller's orders, newest first, filtered by status, network, token, creation time and metadata. */
import type { Db } from "../db/pool.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import type { ListOrdersQueryT } from "../schemas/order.ts";
import type { OrderRow } from "./orderRow.ts";

export function listOrders(db: Db, principal: Principal, query: ListOrdersQueryT): Promise<Page<OrderRow>> {
  const where = ["merchant_id = $1", "livemode = $2"];
  const params: unknown[] = [principal.merchantId, principal.livemode];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace("?", `$${params.length}`));
  };
  if (query.status) add("status = ?", query.status);
  // bigint: a chain id may exceed the 32-bit column type, and must then match nothing rather than fail.
  if (query.network !== undefined) add("chain_id = ?::bigint", query.network);
  if (query.token) add("lower(token) = ?", query.token.toLowerCase());
  const c = query.created;
  if (c?.gte !== undefined) add("created_at >= to_timestamp(?)", c.gte);
  if (c?.gt !== undefined) add("created_at > to_timestamp(?)", c.gt);
  if (c?.lte !== undefined) add("created_at < to_timestamp(?) + interval '1 second'", c.lte);
  if (c?.lt !== undefined) add("created_at < to_timestamp(?)", c.lt);
  if (query.metadata && Object.keys(query.metadata).length > 0)
    add("metadata @> ?::jsonb", JSON.stringify(query.metadata));
  return paginate<OrderRow>(db, { table: "orders", columns: "*", where, params, query });
}

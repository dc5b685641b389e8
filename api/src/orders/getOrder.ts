/** Reads one order of the caller's (another merchant's order is "not found", never "forbidden"). */
import type { Db } from "../db/pool.ts";
import { NotFoundError } from "../errors.ts";
import type { Principal } from "../keys/apiKeys.ts";
import type { OrderRow } from "./orderRow.ts";

export async function getOrder(
  db: Db,
  principal: Principal,
  id: string,
  forUpdate = false,
): Promise<OrderRow> {
  // Named, so each connection plans it once: this is the hottest read.
  const { rows } = await db.query<OrderRow>({
    name: forUpdate ? "orders.get_for_update" : "orders.get",
    text: `SELECT * FROM orders WHERE id = $1 AND merchant_id = $2 AND livemode = $3${forUpdate ? " FOR UPDATE" : ""}`,
    values: [id, principal.merchantId, principal.livemode],
  });
  if (!rows[0]) throw new NotFoundError("order", id);
  return rows[0];
}

/**
 * Reads an order for the public checkout (no key: order ids are unguessable), with the merchant's display
 * name, the only merchant data the checkout shows.
 */
import type { Db } from "../db/pool.ts";
import { NotFoundError } from "../errors.ts";
import type { OrderRow } from "./orderRow.ts";

export async function getCheckoutOrder(db: Db, id: string): Promise<OrderRow & { merchant_name: string }> {
  const { rows } = await db.query<OrderRow & { merchant_name: string }>(
    "SELECT o.*, m.name AS merchant_name FROM orders o JOIN merchants m ON m.id = o.merchant_id WHERE o.id = $1",
    [id],
  );
  if (!rows[0]) throw new NotFoundError("order", id);
  return rows[0];
}

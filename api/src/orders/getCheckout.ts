/**
 * Reads an order for the public checkout (no key: order ids are unguessable), with the merchant's display
 * name, the only merchant data the checkout shows.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { NotFoundError } from "../errors.ts";
import type { OrderRow } from "./orderRow.ts";
import { type SignedOrderRow, signedOrder } from "./signedOrder.ts";

export async function getCheckoutOrder(db: Db, id: string): Promise<OrderRow & { merchant_name: string }> {
  const { rows } = await db.query<OrderRow & { merchant_name: string }>(
    "SELECT o.*, m.name AS merchant_name FROM orders o JOIN merchants m ON m.id = o.merchant_id WHERE o.id = $1",
    [id],
  );
  if (!rows[0]) throw new NotFoundError("order", id);
  return rows[0];
}

/** The same, its terms signed (the first open of a checkout signs them: signedOrder.ts). */
export async function getSignedCheckoutOrder(
  ctx: AppContext,
  id: string,
): Promise<SignedOrderRow<OrderRow & { merchant_name: string }>> {
  return signedOrder(ctx, ctx.pool, await getCheckoutOrder(ctx.pool, id));
}

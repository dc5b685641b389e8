/**
 * Reads an order for the public checkout (no key: order ids are unguessable), with the merchant's display
 * name, the only merchant data the checkout shows, and when a fiat wallet's money was captured (the
 * receipt of a fiat-funded order).
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { NotFoundError } from "../errors.ts";
import type { OrderRow } from "./orderRow.ts";
import { type SignedOrderRow, signedOrder } from "./signedOrder.ts";

export type CheckoutOrderRow = OrderRow & { merchant_name: string; fiat_captured_at: string | null };

export async function getCheckoutOrder(db: Db, id: string): Promise<CheckoutOrderRow> {
  const { rows } = await db.query<CheckoutOrderRow>(
    `SELECT o.*, m.name AS merchant_name,
            (SELECT extract(epoch FROM c.captured_at)::bigint FROM fiat_capture c
              WHERE c.provider = o.fiat_payment->>'provider' AND c.capture_ref = o.fiat_payment->>'capture')
              AS fiat_captured_at
       FROM orders o JOIN merchants m ON m.id = o.merchant_id WHERE o.id = $1`,
    [id],
  );
  if (!rows[0]) throw new NotFoundError("order", id);
  return rows[0];
}

/** The same, its terms signed (the first open of a checkout signs them: signedOrder.ts). */
export async function getSignedCheckoutOrder(
  ctx: AppContext,
  id: string,
): Promise<SignedOrderRow<CheckoutOrderRow>> {
  const order = await getCheckoutOrder(ctx.pool, id);
  // For the page's chain_time: at most one RPC call every few seconds; an unknown head is fine (null).
  await ctx.networks.byId
    .get(order.chain_id)
    ?.head.refreshIfOlder(5_000)
    .catch(() => undefined);
  return signedOrder(ctx, ctx.pool, order);
}

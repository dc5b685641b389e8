/**
 * A fiat capture reversed while the treasury's escrow payment was still in flight cannot be held at
 * once (handleFiatEvent.ts holds it when the escrow is already indexed). This pass, run with the fiat
 * poll, holds every escrowed order whose funding capture was reversed and that has no hold
 * transaction yet; the keeper skips such orders meanwhile (keeper/releaseMatured.ts), so the money
 * the customer took back is never released to the merchant before an operator decides.
 */
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { setHold } from "../orders/orderActions.ts";
import type { OrderRow } from "../orders/orderRow.ts";

export async function holdReversed(ctx: AppContext): Promise<number> {
  return withTransaction(ctx.pool, async (tx) => {
    const { rows } = await tx.query<OrderRow>(
      `SELECT o.* FROM orders o
         JOIN fiat_funding f ON f.order_id = o.id AND f.status IN ('pending', 'funded')
         JOIN fiat_capture c ON c.provider = f.provider AND c.capture_ref = f.capture_ref AND c.status = 'reversed'
        WHERE o.status IN ('escrowed', 'processing') AND o.payment_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM chain_txs h WHERE h.kind = 'hold' AND h.payload->'orderIds' ? o.id)
        ORDER BY o.seq LIMIT 50
        FOR UPDATE OF o SKIP LOCKED`,
    );
    for (const order of rows) {
      await setHold(ctx, tx, order, true);
      ctx.log.warn({ orderId: order.id }, "fiat payment reversed after funding: escrow held");
    }
    return rows.length;
  });
}

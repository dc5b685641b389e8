/**
 * What is still refundable on an order's escrowed payment, counting every refund that is on its way:
 *
 *   amount - refunded on chain (the indexer's `refunded` events) - API refunds not yet seen there
 *
 * where "not yet seen" is a refund that is `pending` (queued or sent) or `succeeded` with a transaction the
 * indexer has not recorded yet. The order's own `amount_refunded` trails the chain (indexer, then sync),
 * so using it would let a refund that just succeeded be accepted a second time. Callers hold the order's
 * row lock (getOrder(..., forUpdate)) so concurrent refunds are counted one after another.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import type { OrderRow } from "../orders/orderRow.ts";

export async function refundableAmount(ctx: AppContext, db: Db, order: OrderRow): Promise<bigint> {
  const ev = ctx.tables.paymentEvent;
  const { rows } = await db.query<{ on_chain: string; in_flight: string }>(
    `WITH indexed AS (
       SELECT amount, lower(tx_hash) AS tx_hash FROM ${ev}
        WHERE chain_id = $2 AND payment_id = $3 AND kind = 'refunded'
     )
     SELECT (SELECT coalesce(sum(amount), 0) FROM indexed)::text AS on_chain,
            (SELECT coalesce(sum(r.amount), 0) FROM refunds r
              WHERE r.order_id = $1
                AND (r.status = 'pending'
                     OR (r.status = 'succeeded' AND lower(r.tx_hash) NOT IN (SELECT tx_hash FROM indexed))))::text
              AS in_flight`,
    [order.id, order.chain_id, order.payment_id],
  );
  const row = rows[0]!;
  return BigInt(order.amount) - BigInt(row.on_chain) - BigInt(row.in_flight);
}

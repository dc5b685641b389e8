/**
 * The risk hook of an observed payment (orders/syncOrders.ts calls it, in its transaction, the first
 * time an order's payment is seen): records the payer's activity, evaluates the rules, and on `hold`
 * queues the operator's setHold on chain. Until the review is closed the keeper skips the order, so
 * nothing is released in the moments before the hold is mined either.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { setHold } from "../orders/orderActions.ts";
import type { OrderRow } from "../orders/orderRow.ts";
import { countEvaluation } from "./assessOrder.ts";
import { evaluateRules } from "./evaluateRules.ts";
import { gatherFacts } from "./gatherFacts.ts";
import { recordReview } from "./reviews.ts";
import { getRiskSettings } from "./riskSettings.ts";

export async function assessPayment(ctx: AppContext, tx: Db, order: OrderRow): Promise<void> {
  const payer = order.payment?.payer;
  if (!payer) return;
  // The activity row, and whether a hold was decided before there was a payment (a fiat session), in one
  // round trip: the order sync runs this for every payment of a block.
  const { rows } = await tx.query<{ earlier_hold: boolean }>(
    `WITH seen AS (
       INSERT INTO risk_payer_activity (order_id, merchant_id, payer, amount) VALUES ($1, $2, $3, $4)
       ON CONFLICT (order_id) DO NOTHING RETURNING order_id)
     SELECT EXISTS (SELECT 1 FROM risk_reviews
                     WHERE order_id = $1 AND status = 'open' AND outcome = 'hold' AND stage <> 'payment') AS earlier_hold
       FROM seen`,
    [order.id, order.merchant_id, payer.toLowerCase(), order.amount],
  );
  // Seen before (a reorg took the payment away and brought it back): already assessed.
  if (rows.length === 0) return;
  const earlierHold = rows[0]!.earlier_hold;
  const { rules } = await getRiskSettings(ctx, tx, order.merchant_id, order.livemode);
  const facts = await gatherFacts(ctx, tx, rules, {
    stage: "payment",
    merchantId: order.merchant_id,
    livemode: order.livemode,
    amount: BigInt(order.amount),
    payer,
    orderId: order.id,
    chainId: order.chain_id,
  });
  const evaluation = evaluateRules(rules, facts);
  countEvaluation(ctx, "payment", evaluation);
  // A hold decided before there was a payment (a fiat session) is placed now that there is one.
  if (earlierHold) await setHold(ctx, tx, order, true);
  if (evaluation.outcome === "allow" || evaluation.outcome === "block") return;
  const review = await recordReview(ctx, tx, {
    order,
    stage: "payment",
    outcome: evaluation.outcome,
    payer,
    findings: evaluation.findings,
  });
  if (review && evaluation.outcome === "hold" && !earlierHold) {
    await setHold(ctx, tx, order, true);
    ctx.log.warn(
      { orderId: order.id, onchainOrderId: order.onchain_order_id, reviewId: review.id, payer },
      "payment held for risk review",
    );
  }
}

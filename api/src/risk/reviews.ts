/**
 * The risk review queue: each flag or hold is stored with the rules that fired and their evidence, and
 * alerted (`risk.flagged` / `risk.held`) in the same transaction. An operator or the merchant then
 * releases the hold, refunds the payment, or dismisses a flag; who and when is recorded.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { NotFoundError, StateError } from "../errors.ts";
import { recordEvent } from "../events/recordEvent.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { randomBase62 } from "../lib/ids.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import { setHold } from "../orders/orderActions.ts";
import type { OrderRow } from "../orders/orderRow.ts";
import { createRefund } from "../refunds/refunds.ts";
import type { ListQueryT } from "../schemas/common.ts";
import type { Finding, Stage } from "./evaluateRules.ts";

export interface ReviewRow {
  id: string;
  merchant_id: string;
  livemode: boolean;
  order_id: string | null;
  stage: Stage;
  outcome: "flag" | "hold" | "block";
  payer: string | null;
  findings: Finding[];
  status: "open" | "released" | "refunded" | "dismissed";
  created_at: Date;
  reviewed_at: Date | null;
  reviewed_by: string | null;
  review_note: string | null;
}

export function toReviewObject(row: ReviewRow) {
  return {
    id: row.id,
    object: "risk_review" as const,
    livemode: row.livemode,
    order: row.order_id,
    stage: row.stage,
    outcome: row.outcome,
    payer: row.payer,
    findings: row.findings,
    status: row.status,
    created: Math.floor(row.created_at.getTime() / 1000),
    reviewed_at: row.reviewed_at ? Math.floor(row.reviewed_at.getTime() / 1000) : null,
    reviewed_by: row.reviewed_by,
    review_note: row.review_note,
  };
}

/** Stores a review and its alert; a second evaluation of the same order and stage stores nothing. */
export async function recordReview(
  ctx: AppContext,
  tx: Db,
  input: {
    order: Pick<OrderRow, "id" | "merchant_id" | "livemode" | "chain_id" | "onchain_order_id">;
    stage: Stage;
    outcome: "flag" | "hold";
    payer?: string;
    findings: Finding[];
  },
): Promise<ReviewRow | undefined> {
  const { rows } = await tx.query<ReviewRow>(
    `INSERT INTO risk_reviews (id, merchant_id, livemode, order_id, stage, outcome, payer, findings)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (order_id, stage) WHERE order_id IS NOT NULL DO NOTHING RETURNING *`,
    [
      `rrv_${randomBase62(24)}`,
      input.order.merchant_id,
      input.order.livemode,
      input.order.id,
      input.stage,
      input.outcome,
      input.payer?.toLowerCase() ?? null,
      JSON.stringify(input.findings),
    ],
  );
  const row = rows[0];
  if (!row) return undefined;
  const type = input.outcome === "hold" ? "risk.held" : "risk.flagged";
  await recordEvent(ctx, tx, {
    merchantId: row.merchant_id,
    livemode: row.livemode,
    type,
    dedupeKey: `${type}:${row.id}`,
    object: toReviewObject(row),
    orderId: input.order.id,
    chainId: input.order.chain_id,
    onchainOrderId: input.order.onchain_order_id,
  });
  return row;
}

export async function listReviews(
  db: Db,
  principal: Principal,
  query: ListQueryT & { status?: string; outcome?: string },
): Promise<Page<ReviewRow>> {
  const where = ["merchant_id = $1", "livemode = $2"];
  const params: unknown[] = [principal.merchantId, principal.livemode];
  if (query.status) {
    params.push(query.status);
    where.push(`status = $${params.length}`);
  }
  if (query.outcome) {
    params.push(query.outcome);
    where.push(`outcome = $${params.length}`);
  }
  return paginate<ReviewRow>(db, { table: "risk_reviews", columns: "*", where, params, query });
}

async function lockReview(tx: Db, principal: Principal, id: string): Promise<ReviewRow> {
  const { rows } = await tx.query<ReviewRow>(
    "SELECT * FROM risk_reviews WHERE id = $1 AND merchant_id = $2 AND livemode = $3 FOR UPDATE",
    [id, principal.merchantId, principal.livemode],
  );
  if (!rows[0]) throw new NotFoundError("risk review", id);
  return rows[0];
}

export async function getReview(db: Db, principal: Principal, id: string): Promise<ReviewRow> {
  const { rows } = await db.query<ReviewRow>(
    "SELECT * FROM risk_reviews WHERE id = $1 AND merchant_id = $2 AND livemode = $3",
    [id, principal.merchantId, principal.livemode],
  );
  if (!rows[0]) throw new NotFoundError("risk review", id);
  return rows[0];
}

async function close(
  tx: Db,
  id: string,
  status: ReviewRow["status"],
  principal: Principal,
  note: string | undefined,
): Promise<ReviewRow> {
  const { rows } = await tx.query<ReviewRow>(
    `UPDATE risk_reviews SET status = $2, reviewed_at = now(), reviewed_by = $3, review_note = $4
      WHERE id = $1 RETURNING *`,
    // A dashboard member is named by wallet (their session id would mean nothing later); a key by its id.
    [id, status, principal.member?.address ?? principal.keyId, note ?? null],
  );
  return rows[0]!;
}

async function lockOrder(tx: Db, review: ReviewRow): Promise<OrderRow> {
  const { rows } = await tx.query<OrderRow>("SELECT * FROM orders WHERE id = $1 FOR UPDATE", [
    review.order_id,
  ]);
  if (!rows[0]) throw new StateError("review_without_order", "This review has no order to act on");
  return rows[0];
}

/**
 * Lifts the hold: queues the operator's setHold(false); the keeper then releases the payment when its
 * window has ended. Refused while the hold itself is still on its way to the chain (lifting a hold that
 * is not there yet would be undone when it lands).
 */
export async function releaseHold(
  ctx: AppContext,
  tx: Db,
  principal: Principal,
  id: string,
  note?: string,
): Promise<ReviewRow> {
  const review = await lockReview(tx, principal, id);
  if (review.status !== "open" || review.outcome !== "hold") {
    throw new StateError(
      "review_not_open_hold",
      `Only an open hold can be released; this review is a ${review.outcome} (${review.status})`,
    );
  }
  const order = await lockOrder(tx, review);
  if (order.payment?.held) {
    await setHold(ctx, tx, order, false);
  } else if (order.status === "escrowed" || order.status === "processing") {
    throw new StateError(
      "hold_pending",
      "The hold is not on chain yet (its transaction is queued or unconfirmed); retry in a few seconds",
    );
  }
  return close(tx, id, "released", principal, note);
}

/** Refunds what remains of the held or flagged payment to the payer and closes the review. */
export async function refundReview(
  ctx: AppContext,
  tx: Db,
  principal: Principal,
  id: string,
  note?: string,
): Promise<ReviewRow> {
  const review = await lockReview(tx, principal, id);
  if (review.status !== "open" || !review.order_id) {
    throw new StateError("review_closed", `This review is ${review.status}; nothing to refund`);
  }
  await createRefund(ctx, tx, principal, { order: review.order_id, reason: "fraudulent" });
  return close(tx, id, "refunded", principal, note);
}

/** A flag needs no on-chain action: the reviewer only records that it was looked at. */
export async function dismissReview(
  tx: Db,
  principal: Principal,
  id: string,
  note?: string,
): Promise<ReviewRow> {
  const review = await lockReview(tx, principal, id);
  if (review.status !== "open" || review.outcome !== "flag") {
    throw new StateError(
      "review_not_open_flag",
      "Only an open flag can be dismissed; release or refund a hold instead",
    );
  }
  return close(tx, id, "dismissed", principal, note);
}

/**
 * Refunds: full or partial, while the order's payment is escrowed. Accepting a refund stores it as
 * `pending` with an operator transaction intent; the sender submits it and reports back through
 * `settleRefund`, which stores `refund.succeeded` or `refund.failed`. The order's amounts and
 * `order.partially_refunded` / `order.refunded` come from the indexer, like every on-chain fact.
 */

import { paymentEscrowAbi } from "@pier/contracts/abis";
import { encodeFunctionData } from "viem";
import { onChainRefundSucceeded } from "../bridge/fiatRefunds.ts";
import { createChainTx } from "../chain/chainTxs.ts";
import { networkOf } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { InvalidRequestError, NotFoundError, StateError } from "../errors.ts";
import { recordEvent } from "../events/recordEvent.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { newId } from "../lib/ids.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import { getOrder } from "../orders/getOrder.ts";
import type { OrderRow } from "../orders/orderRow.ts";
import { paymentRecordOf } from "../orders/paymentRecord.ts";
import { toOrderObject } from "../orders/toOrderObject.ts";
import type { ListQueryT } from "../schemas/common.ts";
import { refundableAmount } from "./refundable.ts";

export interface RefundRow {
  id: string;
  merchant_id: string;
  livemode: boolean;
  order_id: string;
  amount: string;
  reason: string | null;
  status: "pending" | "succeeded" | "failed";
  chain_tx_id: string | null;
  tx_hash: string | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: Date;
}

export function toRefundObject(row: RefundRow) {
  return {
    id: row.id,
    object: "refund" as const,
    livemode: row.livemode,
    order: row.order_id,
    amount: row.amount,
    reason: row.reason,
    status: row.status,
    tx_hash: row.tx_hash,
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    created: Math.floor(row.created_at.getTime() / 1000),
  };
}

export async function createRefund(
  ctx: AppContext,
  tx: Db,
  principal: Principal,
  input: { order: string; amount?: string; reason?: string },
): Promise<RefundRow> {
  const order = await getOrder(tx, principal, input.order, true).catch((e) => {
    if (e instanceof NotFoundError) throw new NotFoundError("order", input.order, "order");
    throw e;
  });
  if (order.status !== "escrowed" || !order.payment) {
    throw new StateError(
      "order_not_refundable",
      `Only an escrowed order can be refunded; this one is ${order.status}`,
      "order",
    );
  }
  const remaining = await refundableAmount(ctx, tx, order);
  const amount = input.amount === undefined ? remaining : BigInt(input.amount);
  if (remaining <= 0n)
    throw new StateError("order_not_refundable", "Nothing left to refund on this order", "order");
  if (amount <= 0n)
    throw new InvalidRequestError("parameter_invalid", "The refund amount must be positive", "amount");
  if (amount > remaining) {
    throw new InvalidRequestError(
      "amount_too_large",
      `The refund amount ${amount} is more than what remains refundable (${remaining})`,
      "amount",
    );
  }
  return queueRefund(ctx, tx, order, amount, input.reason ?? null);
}

/** Stores a refund as `pending` with the operator's transaction intent, in the caller's transaction. */
async function queueRefund(
  ctx: AppContext,
  tx: Db,
  order: OrderRow,
  amount: bigint,
  reason: string | null,
): Promise<RefundRow> {
  const id = newId("refund");
  const net = networkOf(ctx.networks, order.chain_id);
  const chainTxId = await createChainTx(tx, net, {
    signer: net.signers.operator,
    kind: "refund",
    data: encodeFunctionData({
      abi: paymentEscrowAbi,
      functionName: "refund",
      args: [paymentRecordOf(order), amount],
    }),
    refs: { refundId: id, orderIds: [order.id], paymentIds: [order.payment_id] },
  });
  const { rows } = await tx.query<RefundRow>(
    `INSERT INTO refunds (id, merchant_id, livemode, order_id, amount, reason, chain_tx_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [id, order.merchant_id, order.livemode, order.id, amount.toString(), reason, chainTxId],
  );
  return rows[0]!;
}

/** The reason on the refund Pier makes by itself for a payment that arrived after the order was canceled. */
export const CANCELED_ORDER_REFUND_REASON = "order_canceled";

/**
 * A canceled order's signed terms stay payable on chain until their deadline. When a payment arrives
 * anyway and is final (escrowed), the syncer calls this once per payment (keyed by its block hash): it
 * refunds everything still refundable to the payer and stores `order.paid_after_cancel` so the merchant
 * knows; `refund.succeeded` and `order.refunded` follow as for any refund. The order row is locked.
 */
export async function refundPaymentOfCanceledOrder(ctx: AppContext, tx: Db, order: OrderRow): Promise<void> {
  if (!order.canceled_at || !order.payment || order.status !== "escrowed") return;
  const eventId = await recordEvent(ctx, tx, {
    merchantId: order.merchant_id,
    livemode: order.livemode,
    type: "order.paid_after_cancel",
    dedupeKey: `${order.id}:paid_after_cancel:${order.payment.block_hash}`,
    object: toOrderObject(ctx, order),
    orderId: order.id,
    chainId: order.chain_id,
    onchainOrderId: order.onchain_order_id,
  });
  if (!eventId) return;
  const remaining = await refundableAmount(ctx, tx, order);
  if (remaining <= 0n) return;
  const refund = await queueRefund(ctx, tx, order, remaining, CANCELED_ORDER_REFUND_REASON);
  ctx.log.warn(
    { orderId: order.id, onchainOrderId: order.onchain_order_id, refundId: refund.id, amount: refund.amount },
    "payment for a canceled order: refunding it in full",
  );
}

/** Called by the sender once the refund transaction is mined or has failed for good. */
export async function settleRefund(
  ctx: AppContext,
  tx: Db,
  refundId: string,
  outcome: { ok: true; txHash: string } | { ok: false; txHash: string | null; code: string; message: string },
): Promise<void> {
  const { rows } = await tx.query<RefundRow>(
    `UPDATE refunds SET status = $2, tx_hash = $3, failure_code = $4, failure_message = $5, completed_at = now()
      WHERE id = $1 AND status = 'pending' RETURNING *`,
    [
      refundId,
      outcome.ok ? "succeeded" : "failed",
      outcome.txHash,
      outcome.ok ? null : outcome.code,
      outcome.ok ? null : outcome.message,
    ],
  );
  const refund = rows[0];
  if (!refund) return;
  // A fiat-funded order's refund continues out through the wallet provider (bridge/fiatRefunds.ts).
  if (outcome.ok) await onChainRefundSucceeded(ctx, tx, refund);
  await recordEvent(ctx, tx, {
    merchantId: refund.merchant_id,
    livemode: refund.livemode,
    type: outcome.ok ? "refund.succeeded" : "refund.failed",
    dedupeKey: `${refund.id}:${refund.status}`,
    object: toRefundObject(refund),
    orderId: refund.order_id,
  });
}

export async function getRefund(db: Db, principal: Principal, id: string): Promise<RefundRow> {
  const { rows } = await db.query<RefundRow>(
    "SELECT * FROM refunds WHERE id = $1 AND merchant_id = $2 AND livemode = $3",
    [id, principal.merchantId, principal.livemode],
  );
  if (!rows[0]) throw new NotFoundError("refund", id);
  return rows[0];
}

export function listRefunds(
  db: Db,
  principal: Principal,
  query: ListQueryT & { order?: string },
): Promise<Page<RefundRow>> {
  const where = ["merchant_id = $1", "livemode = $2"];
  const params: unknown[] = [principal.merchantId, principal.livemode];
  if (query.order) {
    params.push(query.order);
    where.push(`order_id = $${params.length}`);
  }
  return paginate<RefundRow>(db, { table: "refunds", columns: "*", where, params, query });
}

/**
 * Payments made with the terms of an order option the order is not bound to (orderOptions.ts): the
 * customer switched network or token in the checkout after signing, or paid on two networks.
 *
 * - The order is still open and unpaid: the payment binds it. The order takes that option's terms and the
 *   syncer carries on as for any payment (the caller syncs the returned orders in the same pass).
 * - The order is already paid (or no longer open): a duplicate. Once the payment is as deep as the
 *   network's confirmations, it is stored in duplicate_payments, refunded in full to its refund address by
 *   the operator on its own network (a durable chain_txs intent), and the merchant is told:
 *   `order.duplicate_payment` now, `order.duplicate_payment_refunded` (or `_refund_failed`) when mined.
 *   Never counted as the order's money, never lost.
 *
 * Idempotent: a payment is handled once (the order's own payment, or its duplicate_payments row).
 */
import { paymentEscrowAbi } from "@pier/contracts/abis";
import { paymentRecordFromJson } from "@pier/contracts/termsJson";
import { encodeFunctionData } from "viem";
import type { ChainContext } from "../chain/chainContext.ts";
import { createChainTx } from "../chain/chainTxs.ts";
import type { ChainTxOutcome } from "../chain/settleChainTx.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { recordEvent } from "../events/recordEvent.ts";
import { newId } from "../lib/ids.ts";
import { bindTerms, type StoredTerms } from "./orderOptions.ts";
import type { OrderRow } from "./orderRow.ts";

/** An option's stored terms (order_terms) with the indexed payment made with them (p_*). */
interface ForeignRow extends Omit<StoredTerms, "chain_id"> {
  order_id: string;
  p_status: string;
  p_order_id: string;
  p_merchant: string;
  p_amount: string;
  p_fee: string;
  payer: string;
  refund_to: string;
  release_after: string;
  paid_tx_hash: string;
  paid_block_number: string;
}

export interface DuplicatePaymentRow {
  id: string;
  order_id: string;
  merchant_id: string;
  livemode: boolean;
  chain_id: number;
  payment_id: string;
  token: string;
  amount: string;
  payer: string;
  paid_tx_hash: string;
  status: "pending" | "refunded" | "failed";
  refund_tx_hash: string | null;
  failure_message: string | null;
  created_at: Date;
}

/**
 * Handles this network's foreign payments; returns the orders that a payment bound (to sync now) and how
 * many it looked at (a payment waiting on depth is looked at again next pass).
 */
export async function handleForeignPayments(
  ctx: AppContext,
  net: ChainContext,
  head: bigint | undefined,
): Promise<{ bound: string[]; seen: number }> {
  const { rows } = await ctx.pool.query<ForeignRow>(
    `SELECT t.order_id, t.token, t.escrow, t.operator, t.payment_id, t.amount::text, t.fee::text, t.fx_rate,
            t.signature, p.status AS p_status, p.order_id AS p_order_id, p.merchant AS p_merchant,
            p.amount::text AS p_amount, p.fee::text AS p_fee, p.payer, p.refund_to,
            p.release_after::text, p.paid_tx_hash, p.paid_block_number::text
       FROM order_terms t
       JOIN ${ctx.tables.payment} p ON p.chain_id = t.chain_id AND p.id = t.payment_id AND lower(p.token) = t.token
       JOIN orders o ON o.id = t.order_id
      WHERE t.chain_id = $1
        AND NOT (o.chain_id = t.chain_id AND o.payment_id = t.payment_id AND lower(o.token) = t.token)
        AND NOT EXISTS (SELECT 1 FROM duplicate_payments d WHERE d.chain_id = t.chain_id AND d.payment_id = t.payment_id)
      ORDER BY p.paid_block_number LIMIT 50`,
    [net.chainId],
  );
  const bound: string[] = [];
  for (const f of rows) {
    const outcome = await withTransaction(ctx.pool, (tx) => handleOne(ctx, net, tx, f, head));
    if (outcome === "bound") bound.push(f.order_id);
  }
  return { bound, seen: rows.length };
}

async function handleOne(
  ctx: AppContext,
  net: ChainContext,
  tx: Db,
  f: ForeignRow,
  head: bigint | undefined,
): Promise<"bound" | "duplicate" | "waiting"> {
  const order = (await tx.query<OrderRow>("SELECT * FROM orders WHERE id = $1 FOR UPDATE", [f.order_id]))
    .rows[0]!;
  const own =
    order.chain_id === net.chainId &&
    order.payment_id === f.payment_id &&
    order.token.toLowerCase() === f.token;
  if (own) return "bound";
  if (order.status === "open" && order.payment === null && order.canceled_at === null) {
    await bindTerms(ctx, tx, order, { ...f, chain_id: net.chainId });
    ctx.log.info({ orderId: order.id, chainId: net.chainId }, "payment on another option binds the order");
    return "bound";
  }
  // A reorg could still take it away: refund only a payment as deep as a payment must be to count.
  if (head === undefined || head - BigInt(f.paid_block_number) + 1n < BigInt(net.confirmations))
    return "waiting";
  const id = newId("duplicatePayment");
  const refundable = f.p_status === "escrowed";
  let chainTxId: string | null = null;
  if (refundable) {
    chainTxId = await createChainTx(tx, net, {
      signer: net.signers.operator,
      kind: "refund",
      data: encodeFunctionData({
        abi: paymentEscrowAbi,
        functionName: "refund",
        args: [
          paymentRecordFromJson({
            terms: {
              order_id: f.p_order_id,
              merchant: f.p_merchant,
              token: f.token,
              amount: f.p_amount,
              fee: f.p_fee,
              deadline: order.deadline,
              escrow_period: order.escrow_period,
              operator: f.operator,
            },
            payer: f.payer,
            refund_to: f.refund_to,
            release_after: f.release_after,
          }),
          BigInt(f.p_amount),
        ],
      }),
      refs: { duplicateId: id, orderIds: [order.id], paymentIds: [f.payment_id] },
    });
  }
  const { rows } = await tx.query<DuplicatePaymentRow>(
    `INSERT INTO duplicate_payments (id, order_id, merchant_id, livemode, chain_id, payment_id, token, amount, payer,
       paid_tx_hash, status, chain_tx_id, failure_message, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, CASE WHEN $11 = 'failed' THEN now() END)
     RETURNING *`,
    [
      id,
      order.id,
      order.merchant_id,
      order.livemode,
      net.chainId,
      f.payment_id,
      f.token,
      f.p_amount,
      f.payer.toLowerCase(),
      f.paid_tx_hash,
      refundable ? "pending" : "failed",
      chainTxId,
      refundable ? null : `the escrow no longer holds it (${f.p_status}): refund the customer yourself`,
    ],
  );
  const dup = rows[0]!;
  await recordEvent(ctx, tx, {
    merchantId: order.merchant_id,
    livemode: order.livemode,
    type: "order.duplicate_payment",
    dedupeKey: `${order.id}:duplicate_payment:${dup.id}`,
    object: toDuplicatePaymentObject(dup),
    orderId: order.id,
    chainId: net.chainId,
    onchainOrderId: order.onchain_order_id,
  });
  ctx.log.warn(
    { orderId: order.id, chainId: net.chainId, duplicateId: id, amount: f.p_amount, refundable },
    "second payment of an order: refunding it in full",
  );
  return "duplicate";
}

/** Called by the sender once the duplicate's refund is mined or has failed for good. */
export async function settleDuplicateRefund(
  ctx: AppContext,
  tx: Db,
  duplicateId: string,
  outcome: ChainTxOutcome,
): Promise<void> {
  const { rows } = await tx.query<DuplicatePaymentRow>(
    `UPDATE duplicate_payments SET status = $2, refund_tx_hash = $3, failure_message = $4, completed_at = now()
      WHERE id = $1 AND status = 'pending' RETURNING *`,
    [duplicateId, outcome.ok ? "refunded" : "failed", outcome.txHash, outcome.ok ? null : outcome.message],
  );
  const dup = rows[0];
  if (!dup) return;
  await recordEvent(ctx, tx, {
    merchantId: dup.merchant_id,
    livemode: dup.livemode,
    type: outcome.ok ? "order.duplicate_payment_refunded" : "order.duplicate_payment_refund_failed",
    dedupeKey: `${dup.order_id}:duplicate_payment_${dup.status}:${dup.id}`,
    object: toDuplicatePaymentObject(dup),
    orderId: dup.order_id,
    chainId: dup.chain_id,
  });
}

export function toDuplicatePaymentObject(d: DuplicatePaymentRow) {
  return {
    object: "duplicate_payment" as const,
    id: d.id,
    order: d.order_id,
    chain_id: d.chain_id,
    token: d.token,
    amount: d.amount,
    payer: d.payer,
    paid_tx_hash: d.paid_tx_hash,
    status: d.status,
    refund_tx_hash: d.refund_tx_hash,
    failure_message: d.failure_message,
    created: Math.floor(d.created_at.getTime() / 1000),
  };
}

/**
 * On-chain actions on a paid order, each stored as a transaction intent for the sender: early release
 * (merchant's request, operator key), and the admin's hold (operator key) and dispute resolution
 * (arbiter key). Their effects reach the order through the indexer like any on-chain fact.
 */

import { paymentEscrowAbi } from "@pier/contracts/abis";
import { encodeFunctionData } from "viem";
import { createChainTx } from "../chain/chainTxs.ts";
import { networkOf } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { InvalidRequestError, NotFoundError, StateError, UnavailableError } from "../errors.ts";
import { refundableAmount } from "../refunds/refundable.ts";
import type { OrderRow } from "./orderRow.ts";
import { paymentRecordOf } from "./paymentRecord.ts";

async function hasOpenIntent(tx: Db, kind: string, order: OrderRow): Promise<boolean> {
  const { rows } = await tx.query(
    `SELECT 1 FROM chain_txs WHERE kind = $1 AND status IN ('queued', 'sent') AND payload->'orderIds' ? $2
        AND chain_id = $3 LIMIT 1`,
    [kind, order.id, order.chain_id],
  );
  return rows.length > 0;
}

/** The merchant asks to settle now instead of at the end of the buyer-protection window. */
export async function releaseEarly(ctx: AppContext, tx: Db, order: OrderRow): Promise<void> {
  if (order.status !== "escrowed" || !order.payment) {
    throw new StateError(
      "order_not_releasable",
      `Only an escrowed order can be released; this one is ${order.status}`,
    );
  }
  if (order.payment.held) throw new StateError("order_on_hold", "This order's payment is on hold for review");
  // A risk hold is decided before its setHold transaction is mined: the open review already blocks release
  // (the keeper checks the same), so an early release cannot slip in between.
  const { rowCount } = await tx.query(
    "SELECT 1 FROM risk_reviews WHERE order_id = $1 AND status = 'open' AND outcome = 'hold'",
    [order.id],
  );
  if (rowCount) throw new StateError("order_on_hold", "This order's payment is on hold for risk review");
  if (await hasOpenIntent(tx, "release", order)) return;
  const net = networkOf(ctx.networks, order.chain_id);
  await createChainTx(tx, net, {
    signer: net.signers.operator,
    kind: "release",
    data: encodeFunctionData({
      abi: paymentEscrowAbi,
      functionName: "release",
      args: [paymentRecordOf(order)],
    }),
    refs: { orderIds: [order.id], paymentIds: [order.payment_id] },
  });
}

export async function getOrderForAdmin(tx: Db, id: string): Promise<OrderRow> {
  const { rows } = await tx.query<OrderRow>("SELECT * FROM orders WHERE id = $1 FOR UPDATE", [id]);
  if (!rows[0]) throw new NotFoundError("order", id);
  return rows[0];
}

/** The arbiter splits what remains: `refundAmount` back to the payer, the rest to the merchant. */
export async function resolveDispute(
  ctx: AppContext,
  tx: Db,
  order: OrderRow,
  refundAmount: bigint,
): Promise<void> {
  const net = networkOf(ctx.networks, order.chain_id);
  const arbiter = net.signers.arbiter;
  if (!arbiter)
    throw new UnavailableError("arbiter_unavailable", "No arbiter key is configured (PIER_ARBITER_KEY)");
  if (
    !order.payment ||
    !(order.status === "disputed" || (order.status === "escrowed" && order.payment.held))
  ) {
    throw new StateError(
      "order_not_frozen",
      `Only a disputed or held order can be resolved; this one is ${order.status}`,
    );
  }
  const remaining = await refundableAmount(ctx, tx, order);
  if (refundAmount > remaining) {
    throw new InvalidRequestError(
      "amount_too_large",
      `refund_amount is more than what remains (${remaining})`,
      "refund_amount",
    );
  }
  if (await hasOpenIntent(tx, "resolve", order)) return;
  await createChainTx(tx, net, {
    signer: arbiter,
    kind: "resolve",
    data: encodeFunctionData({
      abi: paymentEscrowAbi,
      functionName: "resolve",
      args: [paymentRecordOf(order), refundAmount],
    }),
    refs: { orderIds: [order.id], paymentIds: [order.payment_id] },
  });
}

/** The operator places or lifts a risk hold, which freezes release like a dispute. */
export async function setHold(ctx: AppContext, tx: Db, order: OrderRow, held: boolean): Promise<void> {
  if (!order.payment || !(order.status === "escrowed" || order.status === "processing")) {
    throw new StateError(
      "order_not_escrowed",
      `Only an escrowed order can be held; this one is ${order.status}`,
    );
  }
  if (order.payment.held === held) return;
  const net = networkOf(ctx.networks, order.chain_id);
  await createChainTx(tx, net, {
    signer: net.signers.operator,
    kind: "hold",
    data: encodeFunctionData({
      abi: paymentEscrowAbi,
      functionName: "setHold",
      args: [paymentRecordOf(order), held],
    }),
    refs: { orderIds: [order.id], paymentIds: [order.payment_id] },
  });
}

/** The escrow's `Payment` struct for a paid order: the signed terms plus what the payment event told us. */

import type { PaymentRecord } from "@pier/contracts/terms";
import type { Address, Hex } from "viem";
import type { OrderRow } from "./orderRow.ts";

export function paymentRecordOf(order: OrderRow): PaymentRecord {
  const p = order.payment;
  if (!p) throw new Error(`order ${order.id} has no payment`);
  return {
    terms: {
      orderId: order.onchain_order_id as Hex,
      merchant: order.payout_address as Address,
      token: order.token as Address,
      amount: BigInt(order.amount),
      fee: BigInt(order.fee),
      deadline: BigInt(order.deadline),
      escrowPeriod: BigInt(order.escrow_period),
      operator: order.operator as Address,
    },
    payer: p.payer as Address,
    refundTo: p.refund_to as Address,
    releaseAfter: BigInt(p.release_after),
  };
}

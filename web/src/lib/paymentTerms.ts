/** The checkout payload's terms and record (decimal strings) as the escrow's structs (bigints). */
import type { PaymentRecord, PaymentTerms } from "@pier/contracts/terms";
import type { Checkout } from "./checkoutApi.ts";

export function termsOf(t: Checkout["terms"]): PaymentTerms {
  return {
    orderId: t.order_id,
    merchant: t.merchant,
    token: t.token,
    amount: BigInt(t.amount),
    fee: BigInt(t.fee),
    deadline: BigInt(t.deadline),
    escrowPeriod: BigInt(t.escrow_period),
    operator: t.operator,
  };
}

/** The escrow's Payment record of a paid order (what dispute() takes), or null before payment. */
export function recordOf(checkout: Checkout): PaymentRecord | null {
  const r = checkout.payment_record;
  if (!r) return null;
  return {
    terms: termsOf(r.terms),
    payer: r.payer,
    refundTo: r.refund_to,
    releaseAfter: BigInt(r.release_after),
  };
}

/** The escrow's `Payment` struct for a paid order: the signed terms plus what the payment event told us. */

import type { PaymentRecord } from "@pier/contracts/terms";
import { paymentRecordFromJson } from "@pier/contracts/termsJson";
import type { OrderRow } from "./orderRow.ts";
import { termsJsonOf } from "./toOrderObject.ts";

export function paymentRecordOf(order: OrderRow): PaymentRecord {
  const p = order.payment;
  if (!p) throw new Error(`order ${order.id} has no payment`);
  return paymentRecordFromJson({
    terms: termsJsonOf(order),
    payer: p.payer,
    refund_to: p.refund_to,
    release_after: p.release_after,
  });
}

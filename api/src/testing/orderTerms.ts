/** The API's order `terms` (strings) as the viem PaymentTerms the harness pays with. */

import type { PaymentTerms } from "@pier/contracts/terms";
import type { Address, Hex } from "viem";

export function termsFromOrder(order: {
  terms: {
    order_id: string;
    merchant: string;
    token: string;
    amount: string;
    fee: string;
    deadline: string;
    escrow_period: string;
    operator: string;
  };
}): PaymentTerms {
  const t = order.terms;
  return {
    orderId: t.order_id as Hex,
    merchant: t.merchant as Address,
    token: t.token as Address,
    amount: BigInt(t.amount),
    fee: BigInt(t.fee),
    deadline: BigInt(t.deadline),
    escrowPeriod: BigInt(t.escrow_period),
    operator: t.operator as Address,
  };
}

/** The API's `terms` object (decimal strings) as contracts/lib/terms.ts PaymentTerms, for test checks. */
import type { Address, Hex } from "viem";
import type { PaymentTerms } from "../../../contracts/lib/terms.ts";

export interface ApiTerms {
  order_id: Hex;
  merchant: Address;
  token: Address;
  amount: string;
  fee: string;
  deadline: string;
  escrow_period: string;
  operator: Address;
}

export function paymentTermsOf(t: ApiTerms): PaymentTerms {
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

/** An order as stored in the API's `orders` table (numeric columns arrive as strings from pg). */
import type { OrderStatus } from "../schemas/order.ts";

/** The indexer's payment row as copied onto the order by the syncer (all integers as strings). */
export interface PaymentSnapshot {
  payer: string;
  refund_to: string;
  method: string;
  tx_hash: string;
  block_number: string;
  block_hash: string;
  paid_at: string;
  release_after: string;
  held: boolean;
  disputed: boolean;
  disputed_at: string | null;
  resolved_at: string | null;
  released_at: string | null;
  released_tx_hash: string | null;
  released_early: boolean | null;
  status: string;
  /** Payouts the token refused (blacklist, pause), credited in the escrow instead; absent in old rows. */
  merchant_credited?: string;
  refund_credited?: string;
}

export interface OrderRow {
  id: string;
  seq: string;
  merchant_id: string;
  livemode: boolean;
  chain_id: number;
  escrow: string;
  onchain_order_id: string;
  payment_id: string;
  /** Networks and tokens the order may be paid with; null: every one the API serves (orderOptions.ts). */
  accepts: { chain_id: number; token: string }[] | null;
  operator: string;
  token: string;
  payout_address: string;
  amount: string;
  fee: string;
  fiat_amount: string | null;
  fiat_currency: string | null;
  fx_rate: string | null;
  /** The merchant's reporting currency when the order was made, and its units per 1 unit of the token's peg then. */
  report_currency: string | null;
  report_rate: string | null;
  /** Set by the fiat bridge (bridge/fundCapture.ts); absent from queries that do not select it. */
  fiat_payment?: import("../schemas/order.ts").FiatPaymentT | null;
  description: string | null;
  metadata: Record<string, string>;
  success_url: string | null;
  cancel_url: string | null;
  deadline: string;
  escrow_period: string;
  /** Null until the checkout is first opened (signedOrder.ts). */
  signature: string | null;
  created_at: Date;
  canceled_at: Date | null;
  status: OrderStatus;
  payment: PaymentSnapshot | null;
  amount_refunded: string;
  amount_released: string;
  fee_paid: string;
  /** Wei the relayer paid for this order's relayed payment (relay/); null when none was relayed. */
  relay_fee_wei: string | null;
  sync_fingerprint: string | null;
}

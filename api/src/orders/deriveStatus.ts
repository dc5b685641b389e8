/**
 * An order's status from the API's half (canceled, deadline) and the indexer's half (the payment row),
 * plus the chain head for confirmation depth. Pure: the syncer and the tests share it.
 *
 *   no payment:  canceled | expired (the indexer has seen a block stamped at or past the deadline, or
 *                is caught up with the head and the deadline has passed) | open
 *   payment:     released -> settled (processing while a charge's payment is < confirmations deep) · refunded -> refunded · resolved -> settled (merchant got a share)
 *                or refunded (all went back) · escrowed -> disputed | processing (< confirmations deep)
 *                | escrowed
 *
 * A payment always wins over `canceled`: signed terms stay payable on chain until their deadline, so
 * money that arrives for a canceled order is shown (and can be refunded), never hidden.
 */
import type { OrderStatus } from "../schemas/order.ts";

export interface PaymentState {
  status: "escrowed" | "released" | "refunded" | "resolved";
  disputed: boolean;
  paidBlockNumber: bigint;
  amountReleased: bigint;
}

export interface DeriveInput {
  canceled: boolean;
  deadline: bigint;
  payment: PaymentState | null;
  /** Unix seconds: max(wall clock, head block timestamp). */
  now: number;
  head: { number: bigint } | undefined;
  indexer: { blockNumber: bigint; timestamp: bigint } | undefined;
  confirmations: number;
}

/** Seconds past the deadline before an unpaid order expires on wall-clock time alone. */
export const EXPIRY_GRACE_SECONDS = 15n;

export function deriveStatus(input: DeriveInput): OrderStatus {
  const p = input.payment;
  if (!p) {
    if (input.canceled) return "canceled";
    return isExpired(input) ? "expired" : "open";
  }
  const confirmed = confirmationsOf(p.paidBlockNumber, input.head?.number) >= input.confirmations;
  switch (p.status) {
    case "released":
      // A charge (no escrow period) is released in its paying transaction: settled once that is deep enough.
      return confirmed ? "settled" : "processing";
    case "refunded":
      return "refunded";
    case "resolved":
      return p.amountReleased > 0n ? "settled" : "refunded";
    default:
      if (p.disputed) return "disputed";
      return confirmed ? "escrowed" : "processing";
  }
}

export function confirmationsOf(block: bigint, head: bigint | undefined): number {
  if (head === undefined || head < block) return 1;
  return Number(head - block + 1n);
}

function isExpired({ deadline, now, head, indexer }: DeriveInput): boolean {
  if (!indexer) return false;
  // The indexer has processed a block stamped at or after the deadline: the escrow takes a payment only
  // strictly before it (as ERC-3009's validBefore does), so any payment would have been seen.
  if (indexer.timestamp >= deadline) return true;
  // Or it is caught up with the head and time has moved past the deadline: no block can still hold one.
  const caughtUp = head !== undefined && indexer.blockNumber >= head.number;
  return caughtUp && BigInt(now) > deadline + EXPIRY_GRACE_SECONDS;
}

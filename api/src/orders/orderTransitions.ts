/**
 * The events an order change produces, each with the key that makes it unique: the on-chain fact
 * behind it (block hash, tx hash, refunded total), so a replayed sync never stores an event twice and a
 * reorg that brings a payment back produces a new one.
 *
 * Event types: order.processing, order.escrowed, order.settled, order.refunded (in full),
 * order.partially_refunded (amount_refunded rose, status unchanged), order.disputed, order.expired,
 * order.canceled, order.payment_reverted (a reorg removed the payment: back to open), order.payout_credited
 * (a payout of the order, to the merchant or back to the payer, was refused by the token and credited in
 * the escrow instead; Pier's keeper pays it out once the token allows).
 */
import type { OrderStatus } from "../schemas/order.ts";

export interface OrderFacts {
  status: OrderStatus;
  amountRefunded: bigint;
  paidBlockHash: string | null;
  releasedTxHash: string | null;
  lastRefundTxHash: string | null;
  resolvedTxHash: string | null;
  disputedTxHash: string | null;
  /** Merchant's and refund address's payouts credited instead of transferred, summed (0 when none). */
  credited?: bigint;
}

export interface PlannedEvent {
  type: string;
  dedupeKey: string;
}

/** Statuses in which order.escrowed has already been sent for the order's payment. */
const ANNOUNCED_PAID = new Set<OrderStatus>(["escrowed", "disputed", "settled", "refunded"]);

export function orderTransitions(orderId: string, prev: OrderFacts, next: OrderFacts): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const key = (suffix: string) => `${orderId}:${suffix}`;
  const paymentGone = prev.paidBlockHash !== null && next.paidBlockHash === null;
  if (paymentGone) {
    events.push({ type: "order.payment_reverted", dedupeKey: key(`payment_reverted:${prev.paidBlockHash}`) });
  }
  if (next.amountRefunded > prev.amountRefunded && next.status !== "refunded") {
    events.push({
      type: "order.partially_refunded",
      dedupeKey: key(`partially_refunded:${next.amountRefunded}`),
    });
  }
  if ((next.credited ?? 0n) > (prev.credited ?? 0n)) {
    events.push({ type: "order.payout_credited", dedupeKey: key(`payout_credited:${next.credited}`) });
  }
  if (next.status !== prev.status) {
    switch (next.status) {
      case "processing":
        events.push({ type: "order.processing", dedupeKey: key(`processing:${next.paidBlockHash}`) });
        break;
      case "escrowed":
        events.push({ type: "order.escrowed", dedupeKey: key(`escrowed:${next.paidBlockHash}`) });
        break;
      case "disputed":
        events.push({
          type: "order.disputed",
          dedupeKey: key(`disputed:${next.disputedTxHash ?? next.paidBlockHash}`),
        });
        break;
      case "settled":
        // A payment never announced as confirmed (a charge, settled in its paying transaction, or one the
        // syncer first sees released) is announced before it settles: merchants fulfil on order.escrowed.
        if (!ANNOUNCED_PAID.has(prev.status)) {
          events.push({ type: "order.escrowed", dedupeKey: key(`escrowed:${next.paidBlockHash}`) });
        }
        events.push({
          type: "order.settled",
          dedupeKey: key(`settled:${next.releasedTxHash ?? next.resolvedTxHash ?? next.paidBlockHash}`),
        });
        break;
      case "refunded":
        events.push({
          type: "order.refunded",
          dedupeKey: key(`refunded:${next.lastRefundTxHash ?? next.resolvedTxHash ?? next.paidBlockHash}`),
        });
        break;
      case "expired":
        events.push({ type: "order.expired", dedupeKey: key("expired") });
        break;
      case "canceled":
        events.push({ type: "order.canceled", dedupeKey: key("canceled") });
        break;
      case "open":
        // Only reachable through a reverted payment, announced above.
        break;
    }
  }
  return events;
}

export const ORDER_EVENT_TYPES = [
  "order.processing",
  "order.escrowed",
  "order.settled",
  "order.refunded",
  "order.partially_refunded",
  "order.disputed",
  "order.expired",
  "order.canceled",
  "order.payment_reverted",
  "order.payout_credited",
  // Stored by refunds.ts, not planned here: a payment reached a canceled order and is being refunded.
  "order.paid_after_cancel",
  // Stored by foreignPayments.ts: a second payment of a paid order (another network or token), refunded.
  "order.duplicate_payment",
  "order.duplicate_payment_refunded",
  "order.duplicate_payment_refund_failed",
] as const;

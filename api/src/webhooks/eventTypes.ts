/** Every event type a webhook endpoint can subscribe to (`*` subscribes to all). */
import { ORDER_EVENT_TYPES } from "../orders/orderTransitions.ts";
import { SUBSCRIPTION_EVENT_TYPES } from "../subscriptions/subscriptions.ts";

/** Operations alerts (risk/, reconciliation/): delivered like any other event. */
export const ALERT_EVENT_TYPES = [
  "risk.flagged",
  "risk.held",
  "reconciliation.mismatch",
  "treasury.low",
  "webhook.endpoint_failing",
] as const;

export const EVENT_TYPES = [
  ...ORDER_EVENT_TYPES,
  // The checkout chose how the customer pays (and told them why): orders/paymentAttempts.ts.
  "order.payment_method_chosen",
  "refund.succeeded",
  "refund.failed",
  // A credit (a payout the token had refused) paid out to the merchant's payout address: credits/.
  "credit.paid_out",
  // Subscriptions (subscriptions/): created, authorized by the customer, changed, canceled.
  ...SUBSCRIPTION_EVENT_TYPES,
  ...ALERT_EVENT_TYPES,
] as const;

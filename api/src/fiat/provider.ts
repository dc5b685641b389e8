/**
 * The one interface every fiat wallet provider implements (sandbox, paypal, stripe), so the bridge,
 * routes and jobs never branch on the provider. Same verbs everywhere:
 *
 *   createSession -> the customer approves (redirect to approvalUrl, or confirm clientSecret in the
 *   browser) -> capture -> (refund) ; payout pays a merchant out ; verifyWebhook turns a provider's
 *   signed notification into a FiatEvent ; mapStatus maps a provider status to ours.
 *
 * Every method throws a typed FiatError (errors.ts) on failure, never returns one. Money is a decimal
 * string in the currency's ISO 4217 minor units (@pier/money/units); each adapter's mapping.ts converts to
 * its wire format (Stripe's integer minor units and zero-decimal list, PayPal's no-decimal currencies).
 */
import type { IncomingHttpHeaders } from "node:http";

/** Our statuses of a fiat payment, the same for every provider. */
export const FIAT_STATUSES = [
  "created", // session exists; the customer has not approved yet
  "requires_action", // the customer must do something more (3-D Secure, PayPal payer action)
  "approved", // the customer approved; the money is authorised, not yet captured
  "captured", // money captured: the bridge may fund the escrow
  "declined", // the wallet / card refused
  "reversed", // a captured payment was pulled back (chargeback, dispute, reversal)
  "refunded", // fully refunded (partial refunds keep `captured`)
  "failed", // canceled, voided, expired, or failed for another reason
] as const;
export type FiatStatus = (typeof FIAT_STATUSES)[number];

export type FiatProviderName = "sandbox" | "paypal" | "stripe";

/** Wallet the customer chooses; Apple Pay and Google Pay are card wallets at Stripe. */
export type WalletKind = "paypal" | "apple_pay" | "google_pay";

export interface Money {
  /** Decimal string in the currency's minor units: "12.30", "1235" (JPY), "1.234" (KWD). */
  value: string;
  /** ISO 4217, upper case. */
  currency: string;
}

export interface FiatOrderRef {
  /** Pier's order id (`ord_...`). */
  id: string;
  /** The on-chain bytes32 order id, when known; travels in provider metadata for reconciliation. */
  onchainOrderId?: string;
  description?: string;
}

export interface CreateSessionInput {
  order: FiatOrderRef;
  /** What the customer pays, in their currency (from an FX quote when it is not the order's). */
  amount: Money;
  returnUrl: string;
  cancelUrl: string;
  /** Same key, same session: a retried create never makes a second provider order. */
  idempotencyKey: string;
  /** The wallet the customer picked; providers that only offer one ignore it. */
  wallet?: WalletKind;
  /** Sandbox only: a failure mode to simulate (sandbox/failureModes.ts). Others ignore it. */
  simulate?: string;
}

export interface FiatSession {
  provider: FiatProviderName;
  /** The provider's id of the session/order/intent: what capture() and webhooks refer to. */
  providerRef: string;
  /** Redirect flows (sandbox, PayPal): where to send the customer. */
  approvalUrl?: string;
  /** Client-side flows (Stripe Payment Request / Apple Pay / Google Pay): confirm with this. */
  clientSecret?: string;
  status: FiatStatus;
  providerStatus: string;
  amount: Money;
}

export interface FiatCapture {
  providerRef: string;
  /** Id of the capture/charge: what refund() takes. */
  captureRef: string;
  status: FiatStatus;
  providerStatus: string;
  amount: Money;
}

export interface RefundInput {
  captureRef: string;
  amount: Money;
  idempotencyKey: string;
  reason?: string;
}

export type RefundStatus = "pending" | "succeeded" | "failed";

export interface FiatRefund {
  refundRef: string;
  captureRef: string;
  status: RefundStatus;
  providerStatus: string;
  amount: Money;
}

export interface PayoutInput {
  /** Provider-specific recipient: a PayPal email, a Stripe connected account (`acct_...`), a sandbox id. */
  recipient: string;
  amount: Money;
  idempotencyKey: string;
  note?: string;
}

export type PayoutStatus = "pending" | "paid" | "failed";

export interface FiatPayout {
  payoutRef: string;
  status: PayoutStatus;
  providerStatus: string;
  amount: Money;
}

interface EventBase {
  provider: FiatProviderName;
  /** The provider's event id: the key for de-duplication (receiveWebhook.ts). */
  id: string;
  /** The provider's event type as sent ("PAYMENT.CAPTURE.COMPLETED", "payment_intent.succeeded"). */
  providerType: string;
  /** When the provider says it happened (unix seconds). */
  occurredAt: number;
  raw: unknown;
}

/** A verified, parsed provider notification, normalised. */
export type FiatEvent =
  | (EventBase & {
      kind: "payment";
      providerRef: string;
      captureRef?: string;
      status: FiatStatus;
      amount?: Money;
    })
  | (EventBase & {
      kind: "refund";
      refundRef: string;
      captureRef?: string;
      providerRef?: string;
      status: RefundStatus;
      amount?: Money;
    })
  | (EventBase & { kind: "payout"; payoutRef: string; status: PayoutStatus; amount?: Money })
  | (EventBase & { kind: "other" });

export interface FiatProvider {
  readonly name: FiatProviderName;
  createSession(input: CreateSessionInput): Promise<FiatSession>;
  /** Captures an approved session. Retrying (same ref) returns the same capture, never a second one. */
  capture(providerRef: string, opts?: { idempotencyKey?: string }): Promise<FiatCapture>;
  refund(input: RefundInput): Promise<FiatRefund>;
  payout(input: PayoutInput): Promise<FiatPayout>;
  /**
   * Verifies a notification's signature over the exact raw body and parses it. Throws
   * WebhookVerificationError (forged, tampered, outside the time tolerance, malformed).
   */
  verifyWebhook(rawBody: string | Buffer, headers: IncomingHttpHeaders): Promise<FiatEvent>;
  /** The provider's status string -> ours, through the adapter's explicit map. Unknown -> throws. */
  mapStatus(providerStatus: string): FiatStatus;
}

/**
 * Stripe wire format <-> ours: the explicit PaymentIntent status map, amounts (Stripe's integer minor
 * units with its own exponents: a "zero-decimal" list, five three-decimal currencies whose last digit
 * must be 0, ISK sent as two-decimal), and PaymentIntents, charges, refunds, transfers and events
 * turned into the provider-neutral types of provider.ts.
 */

import { minorUnits } from "@pier/money/currencies";
import { formatMinorUnits, parseMinorUnits } from "@pier/money/units";
import type Stripe from "stripe";
import { ProviderProtocolError, ProviderValidationError } from "../errors.ts";
import type { FiatEvent, FiatRefund, FiatSession, FiatStatus, Money, RefundStatus } from "../provider.ts";

export const STRIPE_STATUS_MAP: Readonly<Record<string, FiatStatus>> = {
  requires_payment_method: "created",
  requires_confirmation: "created",
  requires_action: "requires_action",
  processing: "approved", // the customer is done; the network has not answered yet
  requires_capture: "approved", // authorised (manual capture): capture() takes the money
  succeeded: "captured",
  canceled: "failed",
};

export function mapStripeStatus(status: string): FiatStatus {
  const ours = STRIPE_STATUS_MAP[status];
  if (!ours)
    throw new ProviderProtocolError({
      provider: "stripe",
      message: `unknown PaymentIntent status '${status}'`,
    });
  return ours;
}

/** A PaymentIntent back at requires_payment_method after a failed attempt was declined, not new. */
export function paymentIntentStatus(
  pi: Pick<Stripe.PaymentIntent, "status" | "last_payment_error">,
): FiatStatus {
  if (pi.status === "requires_payment_method" && pi.last_payment_error) return "declined";
  return mapStripeStatus(pi.status);
}

const ZERO_DECIMAL = new Set("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split(" "));
const THREE_DECIMAL = new Set("BHD JOD KWD OMR TND".split(" "));

/** The exponent of Stripe's `amount` integer for a currency (not always ISO's). */
export function stripeExponent(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2; // everything else, ISK included ("represented as two-decimal" in Stripe's API)
}

/** Our Money -> { amount, currency } for Stripe; refuses what Stripe cannot represent exactly. */
export function toStripeAmount(money: Money, param = "amount"): { amount: number; currency: string } {
  const iso = minorUnits(money.currency);
  const exp = stripeExponent(money.currency);
  let units = parseMinorUnits(money.value, money.currency, param);
  if (exp >= iso) units *= 10n ** BigInt(exp - iso);
  else {
    const scale = 10n ** BigInt(iso - exp);
    if (units % scale !== 0n)
      throw new ProviderValidationError({
        provider: "stripe",
        message: `Stripe takes ${money.currency} with ${exp} decimals; '${money.value}' has more`,
        param,
      });
    units /= scale;
  }
  if (THREE_DECIMAL.has(money.currency) && units % 10n !== 0n)
    throw new ProviderValidationError({
      provider: "stripe",
      message: `Stripe needs ${money.currency} amounts whose last of 3 decimals is 0`,
      param,
    });
  if (units > BigInt(Number.MAX_SAFE_INTEGER))
    throw new ProviderValidationError({ provider: "stripe", message: "amount too large", param });
  return { amount: Number(units), currency: money.currency.toLowerCase() };
}

/** Stripe's { amount, currency } -> our Money in ISO minor units. */
export function fromStripeAmount(amount: number, currency: string): Money {
  const code = currency.toUpperCase();
  const iso = minorUnits(code);
  const exp = stripeExponent(code);
  let units = BigInt(amount);
  if (iso >= exp) units *= 10n ** BigInt(iso - exp);
  else units /= 10n ** BigInt(exp - iso); // ISK: Stripe's x100 representation is always divisible
  return { value: formatMinorUnits(units, code), currency: code };
}

export function toSession(pi: Stripe.PaymentIntent): FiatSession {
  return {
    provider: "stripe",
    providerRef: pi.id,
    clientSecret: pi.client_secret ?? undefined,
    status: paymentIntentStatus(pi),
    providerStatus: pi.status,
    amount: fromStripeAmount(pi.amount, pi.currency),
  };
}

const idOf = (v: string | { id: string } | null | undefined) => (typeof v === "string" ? v : v?.id);

export function refundStatus(status: string | null | undefined): RefundStatus {
  if (status === "succeeded") return "succeeded";
  if (status === "pending" || status === "requires_action") return "pending";
  return "failed";
}

export function toRefund(r: Stripe.Refund): FiatRefund {
  return {
    refundRef: r.id,
    captureRef: idOf(r.charge) ?? "",
    status: refundStatus(r.status),
    providerStatus: r.status ?? "unknown",
    amount: fromStripeAmount(r.amount, r.currency),
  };
}

/** Stripe event types -> what they tell us. Others become kind "other". */
export function toEvent(e: Stripe.Event): FiatEvent {
  const base = { provider: "stripe" as const, id: e.id, providerType: e.type, occurredAt: e.created, raw: e };
  const obj = e.data.object as unknown as Record<string, unknown>;
  switch (e.type) {
    case "payment_intent.created":
    case "payment_intent.requires_action":
    case "payment_intent.amount_capturable_updated":
    case "payment_intent.processing":
    case "payment_intent.succeeded":
    case "payment_intent.payment_failed":
    case "payment_intent.canceled": {
      const pi = obj as unknown as Stripe.PaymentIntent;
      return {
        ...base,
        kind: "payment",
        providerRef: pi.id,
        captureRef: idOf(pi.latest_charge),
        status: e.type === "payment_intent.payment_failed" ? "declined" : paymentIntentStatus(pi),
        amount: fromStripeAmount(pi.status === "succeeded" ? pi.amount_received : pi.amount, pi.currency),
      };
    }
    case "charge.dispute.created": {
      const d = obj as unknown as Stripe.Dispute;
      return {
        ...base,
        kind: "payment",
        providerRef: idOf(d.payment_intent) ?? idOf(d.charge)!,
        captureRef: idOf(d.charge),
        status: "reversed",
        amount: fromStripeAmount(d.amount, d.currency),
      };
    }
    case "refund.created":
    case "refund.updated":
    case "refund.failed": {
      const r = obj as unknown as Stripe.Refund;
      return {
        ...base,
        kind: "refund",
        refundRef: r.id,
        captureRef: idOf(r.charge),
        providerRef: idOf(r.payment_intent),
        status: refundStatus(r.status),
        amount: fromStripeAmount(r.amount, r.currency),
      };
    }
    case "transfer.created":
    case "transfer.reversed": {
      const t = obj as unknown as Stripe.Transfer;
      return {
        ...base,
        kind: "payout",
        payoutRef: t.id,
        status: e.type === "transfer.reversed" ? "failed" : "paid",
        amount: fromStripeAmount(t.amount, t.currency),
      };
    }
    default:
      return { ...base, kind: "other" };
  }
}

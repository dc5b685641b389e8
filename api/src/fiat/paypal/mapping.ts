/**
 * PayPal wire format <-> ours: the explicit status map (Orders v2 order and capture statuses), amounts
 * (PayPal takes no decimals for HUF, JPY, TWD, whatever ISO says), request bodies, and responses and
 * webhook events turned into the provider-neutral types of provider.ts.
 */

import { minorUnits } from "@pier/money/currencies";
import { formatMinorUnits, parseMinorUnits } from "@pier/money/units";
import { ProviderProtocolError, ProviderValidationError } from "../errors.ts";
import type {
  CreateSessionInput,
  FiatCapture,
  FiatEvent,
  FiatPayout,
  FiatRefund,
  FiatSession,
  FiatStatus,
  Money,
  PayoutStatus,
} from "../provider.ts";

/** Order statuses (CREATED ... COMPLETED) and capture statuses (COMPLETED ... REFUNDED) -> ours. */
export const PAYPAL_STATUS_MAP: Readonly<Record<string, FiatStatus>> = {
  CREATED: "created",
  SAVED: "created",
  PAYER_ACTION_REQUIRED: "requires_action",
  APPROVED: "approved",
  VOIDED: "failed",
  COMPLETED: "captured",
  PENDING: "approved", // capture pending at PayPal (e.g. eCheck, review): not money yet
  DECLINED: "declined",
  PARTIALLY_REFUNDED: "captured", // partial refunds keep the payment captured
  REFUNDED: "refunded",
  FAILED: "failed",
};

export const PAYPAL_PAYOUT_STATUS_MAP: Readonly<Record<string, PayoutStatus>> = {
  PENDING: "pending",
  PROCESSING: "pending",
  SUCCESS: "paid",
  DENIED: "failed",
  CANCELED: "failed",
};

export function mapPayPalStatus(status: string): FiatStatus {
  const ours = PAYPAL_STATUS_MAP[status];
  if (!ours)
    throw new ProviderProtocolError({ provider: "paypal", message: `unknown PayPal status '${status}'` });
  return ours;
}

function mapPayoutStatus(status: string): PayoutStatus {
  const ours = PAYPAL_PAYOUT_STATUS_MAP[status];
  if (!ours)
    throw new ProviderProtocolError({
      provider: "paypal",
      message: `unknown PayPal payout status '${status}'`,
    });
  return ours;
}

/** Currencies PayPal accepts only as whole units. */
export const PAYPAL_NO_DECIMALS: ReadonlySet<string> = new Set(["HUF", "JPY", "TWD"]);

export interface PayPalAmount {
  currency_code: string;
  value: string;
}

/** Our Money -> PayPal's amount; "1000.00" HUF -> "1000", "1000.50" HUF is refused before sending. */
export function toPayPalAmount(money: Money, param = "amount"): PayPalAmount {
  const minor = parseMinorUnits(money.value, money.currency, param);
  if (PAYPAL_NO_DECIMALS.has(money.currency)) {
    const scale = 10n ** BigInt(minorUnits(money.currency));
    if (minor % scale !== 0n)
      throw new ProviderValidationError({
        provider: "paypal",
        message: `PayPal takes ${money.currency} in whole units only`,
        providerCode: "DECIMALS_NOT_SUPPORTED",
        param,
      });
    return { currency_code: money.currency, value: (minor / scale).toString() };
  }
  return { currency_code: money.currency, value: formatMinorUnits(minor, money.currency) };
}

/** PayPal's amount -> our Money in the currency's ISO minor units ("1000" HUF -> "1000.00"). */
export function fromPayPalAmount(a: { currency_code?: string; currency?: string; value: string }): Money {
  const currency = (a.currency_code ?? a.currency)!;
  return { currency, value: formatMinorUnits(parseMinorUnits(a.value, currency), currency) };
}

export function orderRequestBody(input: CreateSessionInput) {
  return {
    intent: "CAPTURE",
    purchase_units: [
      {
        reference_id: input.order.id,
        custom_id: input.order.id,
        ...(input.order.description ? { description: input.order.description.slice(0, 127) } : {}),
        amount: toPayPalAmount(input.amount),
      },
    ],
    payment_source: {
      paypal: {
        experience_context: {
          return_url: input.returnUrl,
          cancel_url: input.cancelUrl,
          user_action: "PAY_NOW",
          shipping_preference: "NO_SHIPPING",
        },
      },
    },
  };
}

interface Link {
  href: string;
  rel: string;
}

export interface PayPalCapture {
  id: string;
  status: string;
  amount: PayPalAmount;
  links?: Link[];
  supplementary_data?: { related_ids?: { order_id?: string } };
}

export interface PayPalOrder {
  id: string;
  status: string;
  links?: Link[];
  purchase_units?: Array<{ amount?: PayPalAmount; payments?: { captures?: PayPalCapture[] } }>;
}

export function toSession(order: PayPalOrder, amount: Money): FiatSession {
  const approval = order.links?.find((l) => l.rel === "payer-action" || l.rel === "approve");
  return {
    provider: "paypal",
    providerRef: order.id,
    approvalUrl: approval?.href,
    status: mapPayPalStatus(order.status),
    providerStatus: order.status,
    amount,
  };
}

export function toCapture(order: PayPalOrder): FiatCapture {
  const capture = order.purchase_units?.[0]?.payments?.captures?.[0];
  if (!capture)
    throw new ProviderProtocolError({ provider: "paypal", message: `order ${order.id} has no capture` });
  return {
    providerRef: order.id,
    captureRef: capture.id,
    status: mapPayPalStatus(capture.status),
    providerStatus: capture.status,
    amount: fromPayPalAmount(capture.amount),
  };
}

export function toRefund(
  refund: { id: string; status: string; amount?: PayPalAmount },
  captureRef: string,
  asked: Money,
): FiatRefund {
  const status =
    refund.status === "COMPLETED" ? "succeeded" : refund.status === "PENDING" ? "pending" : "failed";
  return {
    refundRef: refund.id,
    captureRef,
    status,
    providerStatus: refund.status,
    amount: refund.amount ? fromPayPalAmount(refund.amount) : asked,
  };
}

export interface PayPalPayoutBatch {
  batch_header: { payout_batch_id: string; batch_status: string };
}

export function toPayout(batch: PayPalPayoutBatch, amount: Money): FiatPayout {
  return {
    payoutRef: batch.batch_header.payout_batch_id,
    status: mapPayoutStatus(batch.batch_header.batch_status),
    providerStatus: batch.batch_header.batch_status,
    amount,
  };
}

export interface PayPalWebhookEvent {
  id: string;
  event_type: string;
  create_time: string;
  resource_type?: string;
  resource: Record<string, unknown>;
}

/** The capture id a refund-like resource points at (its `up` link: /v2/payments/captures/{id}). */
function upCapture(resource: Record<string, unknown>): string | undefined {
  const links = (resource.links ?? []) as Link[];
  const up = links.find((l) => l.rel === "up" && /\/captures\//.test(l.href));
  return up?.href.split("/captures/")[1]?.split(/[/?]/)[0];
}

/** PayPal event types -> what they tell us. Others become kind "other". */
export function toEvent(e: PayPalWebhookEvent): FiatEvent {
  const base = {
    provider: "paypal" as const,
    id: e.id,
    providerType: e.event_type,
    occurredAt: Math.floor(new Date(e.create_time).getTime() / 1000),
    raw: e,
  };
  const r = e.resource;
  const amount = r.amount ? fromPayPalAmount(r.amount as PayPalAmount) : undefined;
  switch (e.event_type) {
    case "CHECKOUT.ORDER.APPROVED":
      return { ...base, kind: "payment", providerRef: String(r.id), status: "approved" };
    case "CHECKOUT.ORDER.COMPLETED":
      return { ...base, kind: "payment", providerRef: String(r.id), status: "captured" };
    case "PAYMENT.CAPTURE.COMPLETED":
    case "PAYMENT.CAPTURE.PENDING":
    case "PAYMENT.CAPTURE.DECLINED": {
      const capture = r as unknown as PayPalCapture;
      const orderId = capture.supplementary_data?.related_ids?.order_id;
      if (!orderId)
        throw new ProviderProtocolError({ provider: "paypal", message: `${e.event_type} without order id` });
      return {
        ...base,
        kind: "payment",
        providerRef: orderId,
        captureRef: capture.id,
        status: mapPayPalStatus(capture.status),
        amount,
      };
    }
    case "PAYMENT.CAPTURE.REVERSED": {
      const captureRef = upCapture(r);
      // The bridge keys reversals by capture; the order id is not in a reversal's resource.
      return {
        ...base,
        kind: "payment",
        providerRef: captureRef ?? String(r.id),
        captureRef,
        status: "reversed",
        amount,
      };
    }
    case "PAYMENT.CAPTURE.REFUNDED":
      return {
        ...base,
        kind: "refund",
        refundRef: String(r.id),
        captureRef: upCapture(r),
        status: r.status === "COMPLETED" ? "succeeded" : r.status === "PENDING" ? "pending" : "failed",
        amount,
      };
    case "PAYMENT.PAYOUTSBATCH.SUCCESS":
    case "PAYMENT.PAYOUTSBATCH.DENIED":
    case "PAYMENT.PAYOUTSBATCH.PROCESSING": {
      const header = (r.batch_header ?? {}) as { payout_batch_id?: string; batch_status?: string };
      return {
        ...base,
        kind: "payout",
        payoutRef: String(header.payout_batch_id),
        status: mapPayoutStatus(header.batch_status ?? "PENDING"),
      };
    }
    default:
      return { ...base, kind: "other" };
  }
}

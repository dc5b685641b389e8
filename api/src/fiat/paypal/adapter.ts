/**
 * The PayPal adapter: Orders v2 (create with intent CAPTURE -> buyer approves at the payer-action link
 * -> capture), Payments v2 refunds, Payouts v1 for merchant withdrawals, and webhook verification
 * through PayPal's verify-webhook-signature endpoint.
 */
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { FiatError, ProviderStateError, WebhookVerificationError } from "../errors.ts";
import type { FiatEvent, FiatProvider } from "../provider.ts";
import type { PayPalConfig } from "./config.ts";
import {
  mapPayPalStatus,
  orderRequestBody,
  type PayPalCapture,
  type PayPalOrder,
  type PayPalPayoutBatch,
  type PayPalWebhookEvent,
  toCapture,
  toEvent,
  toPayout,
  toPayPalAmount,
  toRefund,
  toSession,
} from "./mapping.ts";
import { PayPalTransport } from "./transport.ts";

const WEBHOOK_HEADERS = {
  auth_algo: "paypal-auth-algo",
  cert_url: "paypal-cert-url",
  transmission_id: "paypal-transmission-id",
  transmission_sig: "paypal-transmission-sig",
  transmission_time: "paypal-transmission-time",
} as const;

export function paypalAdapter(
  config: PayPalConfig,
  deps: { fetch?: typeof fetch; now?: () => number } = {},
): FiatProvider {
  const http = new PayPalTransport({ ...config, fetch: deps.fetch, now: deps.now });
  const now = deps.now ?? Date.now;
  const tolerance = config.toleranceSeconds ?? 300;

  return {
    name: "paypal",

    async createSession(input) {
      const order = await http.request<PayPalOrder>("POST", "/v2/checkout/orders", {
        requestId: input.idempotencyKey,
        representation: true,
        body: orderRequestBody(input),
      });
      return toSession(order, input.amount);
    },

    async capture(orderId, opts = {}) {
      const path = `/v2/checkout/orders/${encodeURIComponent(orderId)}`;
      try {
        const order = await http.request<PayPalOrder>("POST", `${path}/capture`, {
          requestId: opts.idempotencyKey ?? `capture-${orderId}`,
          representation: true,
        });
        return toCapture(order);
      } catch (error) {
        // Captured by an earlier call whose answer we lost: the capture is the order's, return it.
        if (error instanceof ProviderStateError && error.providerCode === "ORDER_ALREADY_CAPTURED")
          return toCapture(await http.request<PayPalOrder>("GET", path));
        throw error;
      }
    },

    async refund(input) {
      const refund = await http.request<{
        id: string;
        status: string;
        amount?: { currency_code: string; value: string };
      }>("POST", `/v2/payments/captures/${encodeURIComponent(input.captureRef)}/refund`, {
        requestId: input.idempotencyKey,
        representation: true,
        body: {
          amount: toPayPalAmount(input.amount),
          ...(input.reason ? { note_to_payer: input.reason.slice(0, 255) } : {}),
        },
      });
      return toRefund(refund, input.captureRef, input.amount);
    },

    async payout(input) {
      const type = input.recipient.includes("@") ? "EMAIL" : "PAYPAL_ID";
      const amount = toPayPalAmount(input.amount);
      try {
        const batch = await http.request<PayPalPayoutBatch>("POST", "/v1/payments/payouts", {
          requestId: input.idempotencyKey,
          body: {
            sender_batch_header: {
              sender_batch_id: input.idempotencyKey,
              recipient_type: type,
              email_subject: "You have a payout from Pier",
            },
            items: [
              {
                recipient_type: type,
                receiver: input.recipient,
                amount: { currency: amount.currency_code, value: amount.value },
                sender_item_id: input.idempotencyKey,
                ...(input.note ? { note: input.note.slice(0, 1000) } : {}),
              },
            ],
          },
        });
        return toPayout(batch, input.amount);
      } catch (error) {
        // The same sender_batch_id was paid before (PayPal keeps them 30 days): that batch is ours.
        const link = duplicateBatchLink(error);
        if (!link) throw error;
        const path = new URL(link).pathname;
        return toPayout(await http.request<PayPalPayoutBatch>("GET", path), input.amount);
      }
    },

    async verifyWebhook(rawBody, headers: IncomingHttpHeaders) {
      const raw = typeof rawBody === "string" ? rawBody : rawBody.toString("utf8");
      const fields: Record<string, string> = {};
      for (const [field, header] of Object.entries(WEBHOOK_HEADERS)) {
        const value = headers[header];
        if (typeof value !== "string" || value === "")
          throw new WebhookVerificationError(
            "paypal",
            "missing_signature",
            `No ${header.toUpperCase()} header`,
          );
        fields[field] = value;
      }
      const sentAt = Date.parse(fields.transmission_time!);
      if (Number.isNaN(sentAt))
        throw new WebhookVerificationError("paypal", "malformed", "Bad PAYPAL-TRANSMISSION-TIME");
      if (Math.abs(now() - sentAt) > tolerance * 1000)
        throw new WebhookVerificationError(
          "paypal",
          "timestamp_outside_tolerance",
          `PayPal webhook sent at ${fields.transmission_time}, outside the ${tolerance} s tolerance`,
        );
      let event: PayPalWebhookEvent;
      try {
        event = JSON.parse(raw);
      } catch (error) {
        throw new WebhookVerificationError("paypal", "malformed", "Webhook body is not JSON", error);
      }
      if (
        typeof event?.id !== "string" ||
        typeof event.event_type !== "string" ||
        typeof event.resource !== "object"
      )
        throw new WebhookVerificationError("paypal", "malformed", "Webhook body is not a PayPal event");
      // A fresh request id per check: a replayed transmission id must never get a cached SUCCESS.
      const result = await http.request<{ verification_status?: string }>(
        "POST",
        "/v1/notifications/verify-webhook-signature",
        { requestId: randomUUID(), body: { ...fields, webhook_id: config.webhookId, webhook_event: event } },
      );
      if (result.verification_status !== "SUCCESS")
        throw new WebhookVerificationError(
          "paypal",
          "verification_failed",
          `PayPal says the signature is ${result.verification_status ?? "missing"}`,
        );
      return withOrderId(toEvent(event));
    },

    mapStatus: mapPayPalStatus,
  };

  /** A reversal names only the capture; the bridge needs the order, which the capture knows. */
  async function withOrderId(event: FiatEvent): Promise<FiatEvent> {
    if (event.kind !== "payment" || event.status !== "reversed" || !event.captureRef) return event;
    const capture = await http.request<PayPalCapture>(
      "GET",
      `/v2/payments/captures/${encodeURIComponent(event.captureRef)}`,
    );
    const orderId = capture.supplementary_data?.related_ids?.order_id;
    return orderId ? { ...event, providerRef: orderId } : event;
  }
}

function duplicateBatchLink(error: unknown): string | undefined {
  if (!(error instanceof FiatError) || error.provider !== "paypal" || error.providerStatus !== 400)
    return undefined;
  const dup = error.details.some(
    (d) => d.field === "SENDER_BATCH_ID" && /already exists/i.test(d.description ?? d.issue),
  );
  const cause = error.cause as { links?: Array<{ href: string; rel: string }> } | undefined;
  return dup ? cause?.links?.find((l) => l.rel === "self")?.href : undefined;
}

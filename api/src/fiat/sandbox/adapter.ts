/** The sandbox wallet adapter: provider.ts's verbs over the local simulator (simulator.ts). */
import type { IncomingHttpHeaders } from "node:http";
import { verifySignature } from "../../webhooks/signature.ts";
import { WebhookVerificationError } from "../errors.ts";
import type { FiatProvider } from "../provider.ts";
import type { SandboxConfig } from "./config.ts";
import { mapSandboxStatus, toCapture, toEvent, toPayout, toRefund, toSession } from "./mapping.ts";
import { SandboxTransport } from "./transport.ts";
import type { SandboxCapture, SandboxEvent, SandboxPayout, SandboxRefund, SandboxSession } from "./wire.ts";
import { SANDBOX_SIGNATURE_HEADER } from "./wire.ts";

export function sandboxAdapter(
  config: SandboxConfig,
  deps: { fetch?: typeof fetch; now?: () => number } = {},
): FiatProvider {
  const http = new SandboxTransport({ ...config, fetch: deps.fetch });
  const now = deps.now ?? Date.now;
  return {
    name: "sandbox",

    async createSession(input) {
      const session = await http.request<SandboxSession>("POST", "/v1/sessions", {
        idempotencyKey: input.idempotencyKey,
        body: {
          amount: input.amount,
          reference: input.order.id,
          description: input.order.description,
          metadata: {
            pier_order_id: input.order.id,
            ...(input.order.onchainOrderId ? { pier_onchain_order_id: input.order.onchainOrderId } : {}),
          },
          return_url: input.returnUrl,
          cancel_url: input.cancelUrl,
          wallet: input.wallet,
          simulate: input.simulate,
        },
      });
      return toSession(session);
    },

    async capture(providerRef, opts = {}) {
      const capture = await http.request<SandboxCapture>(
        "POST",
        `/v1/sessions/${encodeURIComponent(providerRef)}/capture`,
        { idempotencyKey: opts.idempotencyKey ?? `capture_${providerRef}` },
      );
      return toCapture(capture);
    },

    async refund(input) {
      const refund = await http.request<SandboxRefund>(
        "POST",
        `/v1/captures/${encodeURIComponent(input.captureRef)}/refunds`,
        { idempotencyKey: input.idempotencyKey, body: { amount: input.amount, reason: input.reason } },
      );
      return toRefund(refund);
    },

    async payout(input) {
      const payout = await http.request<SandboxPayout>("POST", "/v1/payouts", {
        idempotencyKey: input.idempotencyKey,
        body: { recipient: input.recipient, amount: input.amount, note: input.note },
      });
      return toPayout(payout);
    },

    async verifyWebhook(rawBody, headers: IncomingHttpHeaders) {
      const raw = typeof rawBody === "string" ? rawBody : rawBody.toString("utf8");
      const header = headers[SANDBOX_SIGNATURE_HEADER.toLowerCase()];
      if (typeof header !== "string" || header === "")
        throw new WebhookVerificationError(
          "sandbox",
          "missing_signature",
          `No ${SANDBOX_SIGNATURE_HEADER} header`,
        );
      const result = verifySignature(header, raw, config.webhookSecret, {
        toleranceSeconds: config.toleranceSeconds ?? 300,
        now: Math.floor(now() / 1000),
      });
      if (!result.ok) {
        const reason =
          result.reason === "timestamp_outside_tolerance"
            ? "timestamp_outside_tolerance"
            : result.reason === "no_match"
              ? "signature_mismatch"
              : "malformed";
        throw new WebhookVerificationError(
          "sandbox",
          reason,
          `Sandbox webhook signature invalid: ${result.reason}`,
        );
      }
      let event: SandboxEvent;
      try {
        event = JSON.parse(raw);
      } catch (error) {
        throw new WebhookVerificationError("sandbox", "malformed", "Webhook body is not JSON", error);
      }
      if (typeof event?.id !== "string" || typeof event.type !== "string" || !event.data?.object)
        throw new WebhookVerificationError("sandbox", "malformed", "Webhook body is not a sandbox event");
      return toEvent(event);
    },

    mapStatus: mapSandboxStatus,
  };
}

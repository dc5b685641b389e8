/**
 * The Stripe adapter, on the official SDK: Apple Pay and Google Pay are card wallets, so a session is a
 * PaymentIntent allowing the card payment method (allowed_payment_method_types ["card"]: the field's name
 * since API version 2026-10-28, the SDK's pin; payment_method_types before) and manual capture; the browser confirms it with the
 * client secret through the Payment Request / Express Checkout button (the wallet sheet), the intent
 * becomes requires_capture ("approved"), and capture() takes the money. Refunds are Stripe refunds of
 * the charge; payouts to merchants are Connect transfers to their account (`acct_...`).
 */
import type { IncomingHttpHeaders } from "node:http";
import Stripe from "stripe";
import {
  PaymentDeclinedError,
  ProviderStateError,
  ProviderValidationError,
  SessionNotApprovedError,
  WebhookVerificationError,
} from "../errors.ts";
import type { FiatCapture, FiatProvider } from "../provider.ts";
import type { StripeConfig } from "./config.ts";
import {
  fromStripeAmount,
  mapStripeStatus,
  toEvent,
  toRefund,
  toSession,
  toStripeAmount,
} from "./mapping.ts";
import { createStripeClient, stripeCall } from "./transport.ts";

export function stripeAdapter(
  config: StripeConfig,
  deps: { stripe?: Stripe; now?: () => number } = {},
): FiatProvider {
  const stripe = deps.stripe ?? createStripeClient(config);
  const now = deps.now ?? Date.now;

  function toCapture(pi: Stripe.PaymentIntent): FiatCapture {
    const charge = typeof pi.latest_charge === "string" ? pi.latest_charge : pi.latest_charge?.id;
    if (!charge)
      throw new ProviderStateError({ provider: "stripe", message: `PaymentIntent ${pi.id} has no charge` });
    return {
      providerRef: pi.id,
      captureRef: charge,
      status: mapStripeStatus(pi.status),
      providerStatus: pi.status,
      amount: fromStripeAmount(pi.amount_received, pi.currency),
    };
  }

  return {
    name: "stripe",

    async createSession(input) {
      const { amount, currency } = toStripeAmount(input.amount);
      const pi = await stripeCall(() =>
        stripe.paymentIntents.create(
          {
            amount,
            currency,
            capture_method: "manual",
            allowed_payment_method_types: ["card"],
            ...(input.order.description ? { description: input.order.description } : {}),
            metadata: {
              pier_order_id: input.order.id,
              ...(input.order.onchainOrderId ? { pier_onchain_order_id: input.order.onchainOrderId } : {}),
              ...(input.wallet ? { pier_wallet: input.wallet } : {}),
            },
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      return toSession(pi);
    },

    async capture(paymentIntentId, opts = {}) {
      const pi = await stripeCall(() => stripe.paymentIntents.retrieve(paymentIntentId));
      if (pi.status === "succeeded") return toCapture(pi); // captured before: same capture
      if (pi.status === "requires_payment_method" && pi.last_payment_error)
        throw new PaymentDeclinedError({
          provider: "stripe",
          message: pi.last_payment_error.message ?? `PaymentIntent ${pi.id} was declined`,
          providerCode: pi.last_payment_error.decline_code ?? pi.last_payment_error.code,
        });
      if (pi.status !== "requires_capture") {
        const init = {
          provider: "stripe" as const,
          message: `PaymentIntent ${pi.id} is ${pi.status}`,
          providerCode: pi.status,
        };
        throw pi.status === "canceled" ? new ProviderStateError(init) : new SessionNotApprovedError(init);
      }
      const captured = await stripeCall(() =>
        stripe.paymentIntents.capture(
          paymentIntentId,
          {},
          { idempotencyKey: opts.idempotencyKey ?? `capture-${paymentIntentId}` },
        ),
      );
      return toCapture(captured);
    },

    async refund(input) {
      const charge = await stripeCall(() => stripe.charges.retrieve(input.captureRef));
      if (charge.currency.toUpperCase() !== input.amount.currency)
        throw new ProviderValidationError({
          provider: "stripe",
          message: `Charge ${charge.id} is in ${charge.currency.toUpperCase()}, not ${input.amount.currency}`,
          param: "amount.currency",
        });
      const { amount } = toStripeAmount(input.amount);
      const refund = await stripeCall(() =>
        stripe.refunds.create(
          {
            charge: input.captureRef,
            amount,
            reason: "requested_by_customer",
            metadata: input.reason ? { pier_reason: input.reason.slice(0, 500) } : {},
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      return toRefund(refund);
    },

    async payout(input) {
      const { amount, currency } = toStripeAmount(input.amount);
      const transfer = await stripeCall(() =>
        stripe.transfers.create(
          {
            amount,
            currency,
            destination: input.recipient,
            ...(input.note ? { description: input.note } : {}),
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      return {
        payoutRef: transfer.id,
        status: transfer.reversed ? "failed" : "paid",
        providerStatus: transfer.reversed ? "reversed" : "paid",
        amount: fromStripeAmount(transfer.amount, transfer.currency),
      };
    },

    async verifyWebhook(rawBody, headers: IncomingHttpHeaders) {
      const header = headers["stripe-signature"];
      if (typeof header !== "string" || header === "")
        throw new WebhookVerificationError("stripe", "missing_signature", "No Stripe-Signature header");
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(
          rawBody,
          header,
          config.webhookSecret,
          config.toleranceSeconds ?? 300,
          undefined,
          now(), // milliseconds, as the SDK expects
        );
      } catch (error) {
        if (!(error instanceof Stripe.errors.StripeSignatureVerificationError))
          throw new WebhookVerificationError(
            "stripe",
            "malformed",
            "Webhook body is not a Stripe event",
            error,
          );
        const reason = /tolerance/i.test(error.message)
          ? "timestamp_outside_tolerance"
          : /No signatures found matching/i.test(error.message)
            ? "signature_mismatch"
            : "malformed";
        throw new WebhookVerificationError("stripe", reason, error.message, error);
      }
      return toEvent(event);
    },

    mapStatus: mapStripeStatus,
  };
}

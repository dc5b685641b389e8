/**
 * The official Stripe SDK, configured once (host/port/protocol from the config, telemetry off, a pinned
 * retry count), and the one place its errors become typed fiat errors: every SDK call goes through
 * stripeCall().
 */
import Stripe from "stripe";
import {
  type FiatError,
  type FiatErrorInit,
  PaymentDeclinedError,
  ProviderAuthenticationError,
  ProviderIdempotencyError,
  ProviderNotFoundError,
  ProviderProtocolError,
  ProviderRateLimitError,
  ProviderStateError,
  ProviderUnavailableError,
  ProviderValidationError,
  RefundExceedsCaptureError,
  SessionNotApprovedError,
} from "../errors.ts";
import type { StripeConfig } from "./config.ts";

export function createStripeClient(config: StripeConfig): Stripe {
  return new Stripe(config.secretKey, {
    ...(config.host ? { host: config.host } : {}),
    ...(config.port ? { port: config.port } : {}),
    ...(config.protocol ? { protocol: config.protocol } : {}),
    timeout: config.timeoutMs,
    maxNetworkRetries: config.maxNetworkRetries ?? 1,
    telemetry: false,
    appInfo: { name: "Pier", url: "https://github.com/pier" },
  });
}

/** Runs one SDK call; any Stripe error comes out as a FiatError. */
export async function stripeCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) throw mapStripeError(error);
    throw error;
  }
}

const REFUND_TOO_LARGE = new Set(["amount_too_large", "charge_already_refunded"]);
const WRONG_STATE = new Set([
  "charge_disputed",
  "charge_already_captured",
  "payment_intent_unexpected_state",
]);

export function mapStripeError(error: InstanceType<typeof Stripe.errors.StripeError>): FiatError {
  const init: FiatErrorInit = {
    provider: "stripe",
    message: error.message,
    providerCode: error.code ?? error.rawType,
    providerStatus: error.statusCode,
    debugId: error.requestId,
    param: error.param,
    details: error.decline_code ? [{ issue: error.decline_code, description: error.message }] : undefined,
    cause: error,
  };
  if (error instanceof Stripe.errors.StripeCardError) return new PaymentDeclinedError(init);
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  )
    return new ProviderAuthenticationError(init);
  if (error instanceof Stripe.errors.StripeIdempotencyError) return new ProviderIdempotencyError(init);
  if (error instanceof Stripe.errors.StripeRateLimitError) return new ProviderRateLimitError(init);
  if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError)
    return new ProviderUnavailableError(init);
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    if (error.statusCode === 404 || error.code === "resource_missing") return new ProviderNotFoundError(init);
    if (REFUND_TOO_LARGE.has(error.code ?? "")) return new RefundExceedsCaptureError(init);
    if (error.code === "payment_intent_unexpected_state") {
      const status = (error.payment_intent as { status?: string } | undefined)?.status;
      if (
        status === "requires_payment_method" ||
        status === "requires_confirmation" ||
        status === "requires_action"
      )
        return new SessionNotApprovedError(init);
    }
    if (WRONG_STATE.has(error.code ?? "")) return new ProviderStateError(init);
    return new ProviderValidationError(init);
  }
  return new ProviderProtocolError(init);
}

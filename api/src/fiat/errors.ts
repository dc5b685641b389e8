/**
 * Fiat provider errors: every adapter maps its provider's error responses to these (one small class per
 * case), all subclasses of the API's ApiError so the error handler renders them. A provider's own
 * credentials failing is *our* misconfiguration, so it is a 502 to the merchant, never their 401.
 * `retryable` tells jobs whether the same call (same idempotency key) may be tried again.
 */
import { ApiError, type ErrorType } from "../errors.ts";
import type { FiatProviderName } from "./provider.ts";

export interface ProviderErrorDetail {
  field?: string;
  issue: string;
  description?: string;
}

export interface FiatErrorInit {
  provider: FiatProviderName;
  message: string;
  /** The provider's own code (PayPal `details[0].issue` or `name`, Stripe `code`). */
  providerCode?: string;
  /** HTTP status the provider answered, if any. */
  providerStatus?: number;
  /** PayPal debug_id / Stripe Request-Id, for support tickets. */
  debugId?: string;
  details?: ProviderErrorDetail[];
  param?: string;
  cause?: unknown;
}

export class FiatError extends ApiError {
  override name = "FiatError";
  readonly provider: FiatProviderName;
  readonly providerCode?: string;
  readonly providerStatus?: number;
  readonly debugId?: string;
  readonly details: ProviderErrorDetail[];
  readonly retryable: boolean;

  constructor(statusCode: number, type: ErrorType, code: string, init: FiatErrorInit, retryable = false) {
    super(statusCode, type, code, init.message, { param: init.param, cause: init.cause });
    this.provider = init.provider;
    this.providerCode = init.providerCode;
    this.providerStatus = init.providerStatus;
    this.debugId = init.debugId;
    this.details = init.details ?? [];
    this.retryable = retryable;
  }
}

/** 502: the provider rejected our credentials or token (configuration problem, not the merchant's). */
export class ProviderAuthenticationError extends FiatError {
  override name = "ProviderAuthenticationError";
  constructor(init: FiatErrorInit) {
    super(502, "api_error", "provider_authentication_failed", init);
  }
}

/** 400: the provider refused the request's content (validation, unsupported currency, decimals). */
export class ProviderValidationError extends FiatError {
  override name = "ProviderValidationError";
  constructor(init: FiatErrorInit) {
    super(400, "invalid_request_error", "provider_invalid_request", init);
  }
}

/** 404: the provider has no such order/intent/capture. */
export class ProviderNotFoundError extends FiatError {
  override name = "ProviderNotFoundError";
  constructor(init: FiatErrorInit) {
    super(404, "invalid_request_error", "provider_resource_missing", init);
  }
}

/** 409: capture of a session the customer has not approved (PayPal ORDER_NOT_APPROVED). */
export class SessionNotApprovedError extends FiatError {
  override name = "SessionNotApprovedError";
  constructor(init: FiatErrorInit) {
    super(409, "invalid_request_error", "session_not_approved", init);
  }
}

/** 409: the provider's object is in a state that forbids the call (already captured, canceled...). */
export class ProviderStateError extends FiatError {
  override name = "ProviderStateError";
  constructor(init: FiatErrorInit) {
    super(409, "invalid_request_error", "provider_state_conflict", init);
  }
}

/** 402: the customer's wallet or card declined. */
export class PaymentDeclinedError extends FiatError {
  override name = "PaymentDeclinedError";
  constructor(init: FiatErrorInit) {
    super(402, "invalid_request_error", "payment_declined", init);
  }
}

/** 400: a refund above what is left of the capture, or of a fully refunded capture. */
export class RefundExceedsCaptureError extends FiatError {
  override name = "RefundExceedsCaptureError";
  constructor(init: FiatErrorInit) {
    super(400, "invalid_request_error", "refund_exceeds_capture", init);
  }
}

/** 409: the idempotency key was reused with different parameters, or is still in flight. */
export class ProviderIdempotencyError extends FiatError {
  override name = "ProviderIdempotencyError";
  constructor(init: FiatErrorInit, retryable = false) {
    super(409, "idempotency_error", "provider_idempotency_conflict", init, retryable);
  }
}

/** 503: the provider is rate limiting us; retry later with the same idempotency key. */
export class ProviderRateLimitError extends FiatError {
  override name = "ProviderRateLimitError";
  constructor(init: FiatErrorInit) {
    super(503, "api_error", "provider_rate_limited", init, true);
  }
}

/** 503: the provider failed (5xx), timed out, or could not be reached; safe to retry with the same key. */
export class ProviderUnavailableError extends FiatError {
  override name = "ProviderUnavailableError";
  constructor(init: FiatErrorInit) {
    super(503, "api_error", "provider_unavailable", init, true);
  }
}

/** 502: the provider answered something we do not understand (unknown status, missing field). */
export class ProviderProtocolError extends FiatError {
  override name = "ProviderProtocolError";
  constructor(init: FiatErrorInit) {
    super(502, "api_error", "provider_protocol_error", init);
  }
}

export type WebhookFailure =
  | "missing_signature"
  | "malformed"
  | "signature_mismatch"
  | "timestamp_outside_tolerance"
  | "verification_failed";

/** 400: a webhook that is not provably from the provider (forged, tampered, replayed late, malformed). */
export class WebhookVerificationError extends FiatError {
  override name = "WebhookVerificationError";
  readonly reason: WebhookFailure;
  constructor(provider: FiatProviderName, reason: WebhookFailure, message: string, cause?: unknown) {
    super(400, "invalid_request_error", `webhook_${reason}`, { provider, message, cause });
    this.reason = reason;
  }
}

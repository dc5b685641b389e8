/**
 * The client's one error hierarchy. Every failed request throws a `PierError` subclass chosen by the
 * API's error `type` (or by the failure, for network errors and timeouts), carrying what the API said:
 * `type`, `code`, `param`, `statusCode` and the `requestId` to quote when asking for help.
 *
 *   try { await pier.orders.create({ amount: "25000000" }); }
 *   catch (e) { if (e instanceof InvalidRequestError && e.param === "amount") ... }
 */
import type { ApiErrorBody } from "./types.ts";

/** The API's error types (from its OpenAPI document), and the client's own for failures without an answer. */
export type ErrorType = ApiErrorBody["error"]["type"] | "connection_error" | "signature_verification_error";

export interface PierErrorFields {
  message: string;
  type: ErrorType;
  code?: string;
  param?: string;
  statusCode?: number;
  requestId?: string;
  headers?: Record<string, string>;
  /** The parsed response body, when there was one. */
  raw?: unknown;
  cause?: unknown;
}

export class PierError extends Error {
  override name = "PierError";
  readonly type: ErrorType;
  readonly code?: string;
  readonly param?: string;
  readonly statusCode?: number;
  readonly requestId?: string;
  readonly headers: Record<string, string>;
  readonly raw?: unknown;

  constructor(fields: PierErrorFields) {
    super(fields.message, { cause: fields.cause });
    this.type = fields.type;
    this.code = fields.code;
    this.param = fields.param;
    this.statusCode = fields.statusCode;
    this.requestId = fields.requestId;
    this.headers = fields.headers ?? {};
    this.raw = fields.raw;
  }
}

/** 400, 404, 409: a bad parameter, a missing object, or a state that forbids the call. */
export class InvalidRequestError extends PierError {
  override name = "InvalidRequestError";
}

/** 401: missing, invalid, expired or revoked API key (or a key of the other mode). */
export class AuthenticationError extends PierError {
  override name = "AuthenticationError";
}

/** 403: the key lacks the scope this call needs. */
export class PermissionError extends PierError {
  override name = "PermissionError";
}

/** The Idempotency-Key was reused with another body, or a request with it is still running (409). */
export class IdempotencyError extends PierError {
  override name = "IdempotencyError";
}

/** 429 after the retries ran out; `retryAfterSeconds` is the server's advice. */
export class RateLimitError extends PierError {
  override name = "RateLimitError";
  get retryAfterSeconds(): number | undefined {
    const value = Number(this.headers["retry-after"]);
    return Number.isFinite(value) ? value : undefined;
  }
}

/** 5xx, or a response that is not the API's JSON. */
export class ApiError extends PierError {
  override name = "ApiError";
}

/** The request never got an answer: refused connection, reset, DNS, or the timeout. */
export class ConnectionError extends PierError {
  override name = "ConnectionError";
}

/** The client's timeout (`timeoutMs`) passed before the API answered. */
export class TimeoutError extends ConnectionError {
  override name = "TimeoutError";
}

export type SignatureFailure =
  | "malformed_header"
  | "no_signatures"
  | "timestamp_outside_tolerance"
  | "no_match"
  | "invalid_payload";

/** A webhook's `Pier-Signature` did not verify (see webhooks.ts); `code` says why. */
export class SignatureVerificationError extends PierError {
  override name = "SignatureVerificationError";
  declare readonly code: SignatureFailure;
  constructor(code: SignatureFailure, message: string) {
    super({ type: "signature_verification_error", code, message });
  }
}

const BY_TYPE: Record<string, new (fields: PierErrorFields) => PierError> = {
  invalid_request_error: InvalidRequestError,
  authentication_error: AuthenticationError,
  permission_error: PermissionError,
  idempotency_error: IdempotencyError,
  rate_limit_error: RateLimitError,
  api_error: ApiError,
};

/** The error for an API response that is not a success. */
export function errorFromResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string>,
): PierError {
  const requestId = headers["request-id"];
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (error && typeof error === "object" && typeof error.type === "string") {
    const Class = BY_TYPE[error.type] ?? (statusCode >= 500 ? ApiError : InvalidRequestError);
    return new Class({
      message: typeof error.message === "string" ? error.message : `HTTP ${statusCode}`,
      type: (error.type in BY_TYPE ? error.type : "api_error") as ErrorType,
      code: typeof error.code === "string" ? error.code : undefined,
      param: typeof error.param === "string" ? error.param : undefined,
      statusCode,
      requestId,
      headers,
      raw: body,
    });
  }
  const [Class, type]: [new (fields: PierErrorFields) => PierError, ErrorType] =
    statusCode === 401
      ? [AuthenticationError, "authentication_error"]
      : statusCode === 403
        ? [PermissionError, "permission_error"]
        : statusCode === 429
          ? [RateLimitError, "rate_limit_error"]
          : statusCode >= 500
            ? [ApiError, "api_error"]
            : [InvalidRequestError, "invalid_request_error"];
  return new Class({
    message: `HTTP ${statusCode} without a Pier error body`,
    type,
    statusCode,
    requestId,
    headers,
    raw: body,
  });
}

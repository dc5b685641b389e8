/**
 * The API's one error hierarchy. Domain code throws these; the error handler (plugins/errors.ts) turns
 * them into `{ "error": { type, code, message, param } }` with the status they carry. Anything that is
 * not an ApiError becomes a generic 500 that never shows internals.
 */
/** The error `type`s of the envelope, listed once: the Error schema's enum (schemas/common.ts) is this. */
export const ERROR_TYPES = [
  "invalid_request_error",
  "authentication_error",
  "permission_error",
  "idempotency_error",
  "rate_limit_error",
  "api_error",
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export interface ErrorBody {
  type: ErrorType;
  code: string;
  message: string;
  param?: string;
}

export class ApiError extends Error {
  override name = "ApiError";
  readonly statusCode: number;
  readonly type: ErrorType;
  readonly code: string;
  readonly param?: string;
  /** Extra response headers (Retry-After ...). */
  readonly headers: Record<string, string>;

  constructor(
    statusCode: number,
    type: ErrorType,
    code: string,
    message: string,
    opts: { param?: string; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.statusCode = statusCode;
    this.type = type;
    this.code = code;
    this.param = opts.param;
    this.headers = opts.headers ?? {};
  }

  toBody(): ErrorBody {
    return {
      type: this.type,
      code: this.code,
      message: this.message,
      ...(this.param ? { param: this.param } : {}),
    };
  }
}

/** 400: the request is well-formed JSON but asks for something invalid. */
export class InvalidRequestError extends ApiError {
  constructor(code: string, message: string, param?: string) {
    super(400, "invalid_request_error", code, message, { param });
  }
}

/** 404: no such object, or it belongs to another merchant (never say which). */
export class NotFoundError extends ApiError {
  constructor(resource: string, id: string, param = "id") {
    super(404, "invalid_request_error", "resource_missing", `No such ${resource}: '${id}'`, { param });
  }
}

/** 409/400: the object exists but its state forbids the operation. */
export class StateError extends ApiError {
  constructor(code: string, message: string, param?: string) {
    super(409, "invalid_request_error", code, message, { param });
  }
}

/** 401: no usable credentials. */
export class AuthenticationError extends ApiError {
  constructor(code: string, message: string) {
    super(401, "authentication_error", code, message);
  }
}

/** 403: the key is valid but may not do this. */
export class PermissionError extends ApiError {
  constructor(code: string, message: string) {
    super(403, "permission_error", code, message);
  }
}

/** 400/409: Idempotency-Key misuse. */
export class IdempotencyError extends ApiError {
  constructor(statusCode: 400 | 409, code: string, message: string) {
    super(statusCode, "idempotency_error", code, message, { param: "Idempotency-Key" });
  }
}

/** 503: a dependency (chain, indexer) is unavailable; safe to retry. */
export class UnavailableError extends ApiError {
  constructor(code: string, message: string) {
    super(503, "api_error", code, message);
  }
}

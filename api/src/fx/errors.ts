/**
 * FX errors: small subclasses of the API's one hierarchy (errors.ts), so the error handler renders them
 * as `{ error: { type, code, message, param } }` with the right status.
 */
import { CurrencyError, type MoneyError } from "@pier/money/errors";
import { ApiError, InvalidRequestError, UnavailableError } from "../errors.ts";

/** 400: not an ISO 4217 code, a withdrawn one, or one the rate source does not quote. */
export class UnsupportedCurrencyError extends InvalidRequestError {
  override name = "UnsupportedCurrencyError";
  constructor(currency: string, param = "currency") {
    super("currency_not_supported", `Currency not supported: '${currency}'`, param);
  }
}

/** 400: not a plain positive decimal, or more decimals than the currency has. */
export class InvalidAmountError extends InvalidRequestError {
  override name = "InvalidAmountError";
  constructor(message: string, param = "amount") {
    super("amount_invalid", message, param);
  }
}

/**
 * @pier/money's refusals are bad input: its CurrencyError becomes UnsupportedCurrencyError and its
 * AmountError (malformed, too precise, too long) InvalidAmountError, naming the field the caller gave.
 * The error handlers (plugins/errorHandler.ts, the sandbox wallet's) apply it, so domain code calls
 * the package directly.
 */
export function fromMoneyError(error: MoneyError): InvalidRequestError {
  if (error instanceof CurrencyError) return new UnsupportedCurrencyError(error.currency, error.field);
  return new InvalidAmountError(error.message, error.field);
}

/** 409: the quote's lock has run out; ask for a new quote. */
export class QuoteExpiredError extends ApiError {
  override name = "QuoteExpiredError";
  readonly quoteId: string;
  readonly expiredAt: Date;
  constructor(quoteId: string, expiredAt: Date) {
    super(
      409,
      "invalid_request_error",
      "fx_quote_expired",
      `FX quote ${quoteId} expired at ${expiredAt.toISOString()}; request a new quote`,
      { param: "fx_quote" },
    );
    this.quoteId = quoteId;
    this.expiredAt = expiredAt;
  }
}

/** 409: the quote already funds another session. */
export class QuoteAlreadyUsedError extends ApiError {
  override name = "QuoteAlreadyUsedError";
  constructor(quoteId: string) {
    super(409, "invalid_request_error", "fx_quote_used", `FX quote ${quoteId} has already been used`, {
      param: "fx_quote",
    });
  }
}

/** 503: the newest rate is older than the configured maximum age; quoting resumes when it refreshes. */
export class StaleRateError extends UnavailableError {
  override name = "StaleRateError";
  readonly currency: string;
  readonly asOf: Date;
  readonly maxAgeSeconds: number;
  constructor(currency: string, asOf: Date, maxAgeSeconds: number) {
    super(
      "fx_rate_stale",
      `The ${currency} rate (as of ${asOf.toISOString()}) is older than the ${maxAgeSeconds} s allowed`,
    );
    this.currency = currency;
    this.asOf = asOf;
    this.maxAgeSeconds = maxAgeSeconds;
  }
}

/** 503: the rate source could not be read or answered something unparseable. */
export class RateSourceError extends UnavailableError {
  override name = "RateSourceError";
  constructor(source: string, message: string, cause?: unknown) {
    super("fx_rate_source_unavailable", `Rate source ${source}: ${message}`);
    if (cause !== undefined) Object.defineProperty(this, "cause", { value: cause });
  }
}

/**
 * Why an amount or a currency was refused: one base class and two small subclasses. The API renders
 * them as 400s (`amount_invalid`, `currency_not_supported`) naming `field`; the web shows the message.
 */

export class MoneyError extends Error {
  override name = "MoneyError";
  /** The input the value came from, when the caller named one ("amount", "fiat_amount"). */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
  }
}

/**
 * `malformed`: not a plain decimal (or integer) string. `precision`: more fraction digits than the unit
 * has; never rounded or cut. `range`: too many digits to be an amount.
 */
export type AmountErrorReason = "malformed" | "precision" | "range";

export class AmountError extends MoneyError {
  override name = "AmountError";
  readonly reason: AmountErrorReason;
  constructor(reason: AmountErrorReason, message: string, field?: string) {
    super(message, field);
    this.reason = reason;
  }
}

/** `unknown`: not an ISO 4217 code with minor units. `withdrawn`: known, but no longer payable. */
export type CurrencyErrorReason = "unknown" | "withdrawn";

export class CurrencyError extends MoneyError {
  override name = "CurrencyError";
  readonly currency: string;
  readonly reason: CurrencyErrorReason;
  constructor(currency: string, reason: CurrencyErrorReason, field?: string) {
    super(`Currency not supported: '${currency}'`, field);
    this.currency = currency;
    this.reason = reason;
  }
}

/**
 * Amounts as exact decimal strings <-> integers of a smallest unit: token units for any number of
 * decimals, or an ISO 4217 currency's minor units. Money is an integer (bigint, or an integer string on
 * the wire) or a decimal string; never a float.
 *
 * Parsing refuses, with an AmountError, anything but a plain non-negative decimal ("12", "12.5",
 * "0.000001"; no sign, exponent, spaces or separators), and any value with more fraction digits than
 * the unit has ("10.5" JPY, "1.0000001" of a 6-decimal token): nothing is ever rounded or cut. Zeros
 * past the last unit are harmless ("100.00" JPY is 100).
 */
import { minorUnits } from "./currencies.ts";
import { AmountError } from "./errors.ts";

/** Digits allowed on each side of the point: a uint256 has 78; more is not an amount. */
export const MAX_DIGITS = 80;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const INTEGER = /^-?\d+$/;

/** An exact decimal: `digits` / 10^`scale` ("12.340" -> 12340n, 3). */
export interface Decimal {
  digits: bigint;
  scale: number;
}

/** "12.340" -> { digits: 12340n, scale: 3 }; AmountError for anything but a plain non-negative decimal. */
export function parseDecimal(value: string, field?: string): Decimal {
  const match = typeof value === "string" ? DECIMAL.exec(value) : null;
  if (!match)
    throw new AmountError("malformed", `Amount must be a plain decimal string, got '${value}'`, field);
  const [, whole = "", fraction = ""] = match;
  if (whole.length > MAX_DIGITS || fraction.length > MAX_DIGITS)
    throw new AmountError("range", `Amount has too many digits: '${value.slice(0, 20)}…'`, field);
  return { digits: BigInt(whole + fraction), scale: fraction.length };
}

/**
 * "12.5" with 6 decimals -> 12500000n. `unit` names the unit in the error ("KWD", "tUSDC").
 * AmountError when malformed or more precise than `decimals`.
 */
export function decimalToUnits(
  value: string,
  decimals: number,
  { field, unit }: { field?: string; unit?: string } = {},
): bigint {
  checkDecimals(decimals);
  const { digits, scale } = parseDecimal(value, field);
  if (scale <= decimals) return digits * 10n ** BigInt(decimals - scale);
  const extra = 10n ** BigInt(scale - decimals);
  if (digits % extra !== 0n) {
    const places = `${decimals} decimal place${decimals === 1 ? "" : "s"}`;
    throw new AmountError(
      "precision",
      unit ? `${unit} has ${places}; '${value}' has more` : `'${value}' has more than ${places}`,
      field,
    );
  }
  return digits / extra;
}

/**
 * 12500000n with 6 decimals -> "12.5": trailing zeros dropped down to `minFraction` ("12.50" with 2).
 * Takes a bigint or an integer string ("12500000"); keeps a minus sign.
 */
export function unitsToDecimal(
  units: bigint | string,
  decimals: number,
  { minFraction = 0 }: { minFraction?: number } = {},
): string {
  checkDecimals(decimals);
  const value = toBigInt(units);
  const negative = value < 0n;
  const s = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = s.slice(0, s.length - decimals);
  let fraction = s.slice(s.length - decimals);
  const keep = Math.min(Math.max(minFraction, 0), decimals);
  let end = fraction.length;
  while (end > keep && fraction[end - 1] === "0") end--;
  fraction = fraction.slice(0, end);
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** An integer amount from a bigint or an integer string ("-12", "25000000"); AmountError otherwise. */
export function toBigInt(units: bigint | string, field?: string): bigint {
  if (typeof units === "bigint") return units;
  if (typeof units !== "string" || !INTEGER.test(units))
    throw new AmountError("malformed", `Units must be an integer string, got '${units}'`, field);
  if (units.length > MAX_DIGITS + 1)
    throw new AmountError("range", `Units have too many digits: '${units.slice(0, 20)}…'`, field);
  return BigInt(units);
}

/** "12.3" EUR -> 1230n; "1234" JPY -> 1234n; "1.234" KWD -> 1234n. CurrencyError for an unknown code. */
export function parseMinorUnits(value: string, currency: string, field?: string): bigint {
  return decimalToUnits(value, minorUnits(currency), { field, unit: currency });
}

/** 1230n EUR -> "12.30"; 1234n JPY -> "1234"; 1234n KWD -> "1.234". Always the currency's decimals. */
export function formatMinorUnits(units: bigint, currency: string): string {
  if (units < 0n) throw new RangeError("amounts are non-negative");
  const decimals = minorUnits(currency);
  return unitsToDecimal(units, decimals, { minFraction: decimals });
}

/** A valid amount in its canonical form ("12.3" EUR -> "12.30", "100.00" JPY -> "100"). */
export function normalizeAmount(value: string, currency: string, field?: string): string {
  return formatMinorUnits(parseMinorUnits(value, currency, field), currency);
}

function checkDecimals(decimals: number): void {
  if (!Number.isSafeInteger(decimals) || decimals < 0 || decimals > 255)
    throw new RangeError(`decimals must be an integer from 0 to 255, got ${decimals}`);
}

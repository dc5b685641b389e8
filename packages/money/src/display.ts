/**
 * Amounts for people, exactly: token units grouped with the locale's separators ("1,234.50 tUSDC"),
 * the plain form terminals and messages print ("1234.5 tUSDC"), and fiat decimal strings in their
 * currency ("€12.30"). Digits are never rounded, cut or passed through a float: Intl only contributes
 * separators and currency symbols, and is handed decimal strings, never numbers.
 */
import { isCurrency, minorUnits } from "./currencies.ts";
import { parseDecimal, unitsToDecimal } from "./units.ts";

export interface TokenLike {
  symbol: string;
  decimals: number;
}

export interface DisplayOptions {
  /** BCP 47 locale for the separators; the runtime's default when absent. */
  locale?: string;
  /** Show at least this many decimals (default 2, never more than the token has); never fewer than the amount has. */
  minFraction?: number;
}

/**
 * 1234500000n with 6 decimals -> "1,234.50" (en-US), "1.234,50" (de-DE); "0.000001"; "-2.50".
 * Takes a bigint or an integer string.
 */
export function formatAmount(
  units: bigint | string,
  decimals: number,
  { minFraction = 2, locale }: DisplayOptions = {},
): string {
  const text = unitsToDecimal(units, decimals, { minFraction });
  const negative = text.startsWith("-");
  const [whole = "0", fraction = ""] = (negative ? text.slice(1) : text).split(".");
  const { group, decimal } = separators(locale);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${negative ? "-" : ""}${grouped}${fraction ? `${decimal}${fraction}` : ""}`;
}

/** "10.00 tUSDC" (grouped, for the page). */
export function formatToken(units: bigint | string, token: TokenLike, opts?: DisplayOptions): string {
  return `${formatAmount(units, token.decimals, opts)} ${token.symbol}`;
}

/** "25 tUSDC", "13.3272 tUSDC": no grouping, no padding; what the CLI, logs and error messages print. */
export function formatTokenPlain(units: bigint | string, token: TokenLike): string {
  return `${unitsToDecimal(units, token.decimals)} ${token.symbol}`;
}

/**
 * A fiat decimal string in its ISO 4217 currency: ("12.5", "EUR") -> "€12.50"; ("1.234", "KWD") ->
 * "KWD 1.234". Shows the currency's ISO minor units (Intl's own table disagrees for some, e.g. IQD) and
 * every significant digit the amount has ("100.00" JPY -> "¥100"). A code Intl does not know prints as
 * "12.50 XYZ".
 */
export function formatFiat(amount: string, currency: string, locale?: string): string {
  parseDecimal(amount); // a plain decimal, or AmountError
  const significant = (amount.split(".")[1] ?? "").replace(/0+$/, "").length;
  const minor = isCurrency(currency) ? minorUnits(currency) : 2;
  const digits = Math.max(minor, significant);
  try {
    const format = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    // Intl formats a decimal string exactly (ES2023); the cast is for lib typings that want a number.
    return (format.format as (value: string) => string)(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

function separators(locale: string | undefined): { group: string; decimal: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  return {
    group: parts.find((p) => p.type === "group")?.value ?? ",",
    decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
  };
}

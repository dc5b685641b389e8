/**
 * Money as text, exactly: token amounts are integers in the token's smallest unit (bigint or decimal
 * string) turned into decimal strings with viem's formatUnits; fiat amounts are decimal strings. No
 * floating point anywhere.
 */
import { formatUnits } from "viem";

function separators(locale: string | undefined): { group: string; decimal: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  return {
    group: parts.find((p) => p.type === "group")?.value ?? ",",
    decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
  };
}

/**
 * `10000000n, 6` -> "10.00"; at least `minFraction` decimals, never fewer than the amount has (no rounding).
 */
export function formatTokenAmount(
  units: bigint | string,
  decimals: number,
  { minFraction = 2, locale }: { minFraction?: number; locale?: string } = {},
): string {
  const value = typeof units === "bigint" ? units : BigInt(units);
  const negative = value < 0n;
  const text = formatUnits(negative ? -value : value, decimals);
  const [whole = "0", fraction = ""] = text.split(".");
  const { group, decimal } = separators(locale);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const padded = fraction.padEnd(Math.min(minFraction, decimals), "0");
  return `${negative ? "-" : ""}${grouped}${padded ? `${decimal}${padded}` : ""}`;
}

/** "10.00 tUSDC" */
export function formatToken(
  units: bigint | string,
  token: { decimals: number; symbol: string },
  opts?: { locale?: string },
): string {
  return `${formatTokenAmount(units, token.decimals, opts)} ${token.symbol}`;
}

/** A fiat decimal string in its ISO 4217 currency: ("12.5", "EUR") -> "€12.50" (exact: Intl takes strings). */
export function formatFiat(amount: string, currency: string, locale?: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount as `${number}`);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** A countdown: 3725 -> "1:02:05", 59 -> "0:59"; days above 48 h: "3 days". */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s >= 48 * 3600) return `${Math.floor(s / 86_400)} days`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** Unix seconds as a local date and time, e.g. "Mar 3, 2026, 14:05". */
export function formatDateTime(unixSeconds: number | bigint, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(Number(unixSeconds) * 1000),
  );
}

/** 0x1234…abcd */
export function shortHex(hex: string, chars = 4): string {
  return hex.length <= 2 + chars * 2 ? hex : `${hex.slice(0, 2 + chars)}…${hex.slice(-chars)}`;
}

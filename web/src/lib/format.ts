/**
 * Text helpers of the page: countdowns, dates, shortened hashes. Amounts are formatted by
 * @pier/money/display (formatToken, formatAmount, formatFiat), shared with the API and the CLI.
 */

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

/** A ratio as a decimal string ("0.0525") -> "5.25%", by moving the decimal point (no float arithmetic). */
export function ratioToPercent(ratio: string): string {
  const [whole = "0", frac = ""] = ratio.split(".");
  const digits = `${whole}${frac.padEnd(4, "0").slice(0, 4)}`.replace(/^0+(?=\d{3})/, "");
  return `${digits.slice(0, -2)}.${digits.slice(-2)}%`;
}

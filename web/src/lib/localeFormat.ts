/**
 * Amounts, dates and durations in the page's language. Token amounts and fiat amounts stay exact (decimal
 * strings and bigints through @pier/money/display, never floats); Intl contributes separators, currency
 * symbols, month names and unit words. Arabic keeps Western digits (`-u-nu-latn`), as amounts, hashes and
 * addresses next to them are written.
 */
import { formatFiat, formatToken, type TokenLike } from "@pier/money/display";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

/** The BCP 47 locale Intl formats with for a page language. */
export function intlLocale(lng: string): string {
  return lng.split("-")[0] === "ar" ? `${lng}-u-nu-latn` : lng;
}

/** Seconds as the largest whole unit that fits, in words: 604800 -> "7 days" / "7 Tage" / "7天". */
export function formatDuration(seconds: number, locale: string): string {
  const s = Math.max(0, Math.floor(seconds));
  const [value, unit] =
    s >= 86_400
      ? [Math.floor(s / 86_400), "day"]
      : s >= 3_600
        ? [Math.floor(s / 3_600), "hour"]
        : s >= 60
          ? [Math.floor(s / 60), "minute"]
          : [s, "second"];
  return new Intl.NumberFormat(intlLocale(locale), { style: "unit", unit, unitDisplay: "long" }).format(
    value,
  );
}

/** A countdown: 3725 -> "1:02:05", 59 -> "0:59"; 48 h and more in days ("3 days", "3 Tage"). */
export function formatCountdown(seconds: number, locale: string): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s >= 48 * 3600) return formatDuration(s, locale);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

export function formatters(lng: string) {
  const locale = intlLocale(lng);
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: "short" });
  return {
    token: (units: bigint | string, token: TokenLike) => formatToken(units, token, { locale }),
    fiat: (amount: string, currency: string) => formatFiat(amount, currency, locale),
    /** Unix seconds as a date and time in the browser's time zone. */
    dateTime: (unixSeconds: number | bigint) => dateTime.format(new Date(Number(unixSeconds) * 1000)),
    time: (unixSeconds: number | bigint) => time.format(new Date(Number(unixSeconds) * 1000)),
    duration: (seconds: number) => formatDuration(seconds, lng),
    countdown: (seconds: number) => formatCountdown(seconds, lng),
  };
}

export type Formatters = ReturnType<typeof formatters>;

/** The formatters of the current language. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return useMemo(() => formatters(i18n.language), [i18n.language]);
}

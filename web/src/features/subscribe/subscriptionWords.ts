/**
 * A subscription's terms in the page's language: the price ("10.00 USD every month", "10,00 USD alle 3
 * Wochen"), the on-chain period ("per 28 days") and the status. Counts of days and weeks go through Intl's
 * unit formatting, so every language gets its own plural forms without plural keys in the catalogues.
 */
import type { TFunction } from "i18next";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { intlLocale } from "../../lib/localeFormat.ts";
import type { Plan, SubscriptionStatus } from "./subscriptionTerms.ts";

const DAY = 86_400;

export function planWords(t: TFunction, lng: string) {
  const locale = intlLocale(lng);
  const unit = (u: Plan["interval"] | "second", n: number) =>
    new Intl.NumberFormat(locale, { style: "unit", unit: u, unitDisplay: "long" }).format(n);
  /** A plan's decimal amount with the language's separators, every digit kept (a string into Intl). */
  const amount = (plan: Plan) => {
    const digits = plan.amount.split(".")[1]?.length ?? 0;
    const format = new Intl.NumberFormat(locale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    return `${(format.format as (value: string) => string)(plan.amount)} ${plan.currency}`;
  };
  return {
    price: (plan: Plan) =>
      plan.interval_count === 1
        ? t("subscribe.priceEvery", { amount: amount(plan), unit: t(`subscribe.unit.${plan.interval}`) })
        : t("subscribe.priceEveryN", {
            amount: amount(plan),
            period: unit(plan.interval, plan.interval_count),
          }),
    /** 2419200 -> "28 days", 86400 -> "day" (as in "per day"), 90 -> "90 seconds". */
    period: (seconds: number) => {
      const days = seconds / DAY;
      if (!Number.isInteger(days)) return unit("second", seconds);
      return days === 1 ? t("subscribe.unit.day") : unit("day", days);
    },
    status: (status: SubscriptionStatus) => t(`subscribe.status.${status}`),
  };
}

export function usePlanWords() {
  const { t, i18n } = useTranslation();
  return useMemo(() => planWords(t, i18n.language), [t, i18n.language]);
}

/** An order that can no longer be paid and was not: expired or canceled. Says so plainly. */
import { useTranslation } from "react-i18next";
import type { ChainClock } from "../../lib/chainClock.ts";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { useFormat } from "../../lib/localeFormat.ts";

export function OrderClosed({
  checkout,
  clock,
  reason,
}: {
  checkout: Checkout;
  clock: ChainClock;
  reason: "expired" | "canceled";
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const merchant = checkout.merchant_name;
  return (
    <section className="card closed" aria-labelledby="closed-title" data-testid="order-closed">
      <h2 id="closed-title" tabIndex={-1}>
        {reason === "expired" ? t("closed.expiredTitle") : t("closed.canceledTitle")}
      </h2>
      <p>
        {reason === "expired"
          ? t("closed.expiredText", { date: f.dateTime(clock.toLocal(checkout.expires_at)) })
          : t("closed.canceledText", { merchant })}{" "}
        {t("closed.askAgain", { merchant })}
      </p>
      {checkout.cancel_url && (
        <a className="button secondary" href={checkout.cancel_url}>
          {t("closed.back", { merchant })}
        </a>
      )}
    </section>
  );
}

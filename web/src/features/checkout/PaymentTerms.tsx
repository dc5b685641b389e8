/**
 * What the customer agrees to before signing: what they pay and who pays which fee, and what protection
 * they have. The buyer-protection window is the signed terms' escrow_period: the escrow holds the payment
 * that long, the payer may dispute() it meanwhile (DisputePanel), and a dispute freezes it until the
 * arbiter splits it between a refund to the payer and a release to the merchant (api/docs/admin.md,
 * resolve). An escrow_period of 0 pays the merchant in the same transaction: nothing to dispute.
 */
import { Trans, useTranslation } from "react-i18next";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { useFormat } from "../../lib/localeFormat.ts";

export function PaymentTerms({ checkout }: { checkout: Checkout }) {
  const { t } = useTranslation();
  const f = useFormat();
  const merchant = checkout.merchant_name;
  const amount = f.token(checkout.amount, checkout.token);
  const fee = BigInt(checkout.terms.fee);
  const period = Number(checkout.terms.escrow_period);
  return (
    <section className="card terms" aria-labelledby="terms-title" data-testid="payment-terms">
      <h2 id="terms-title">{t("terms.title")}</h2>
      <dl className="terms-lines">
        <dt>{t("terms.protection")}</dt>
        <dd data-testid="terms-protection" data-escrow-period={period}>
          {period === 0 ? (
            t("terms.protectionNone", { merchant })
          ) : (
            <>
              <Trans
                i18nKey="terms.protectionWindow"
                values={{ duration: f.duration(period), merchant }}
                components={{ strong: <strong /> }}
              />{" "}
              {t("terms.protectionDispute", { merchant })}
            </>
          )}
        </dd>
        <dt>{t("terms.fees")}</dt>
        <dd data-testid="terms-fee">
          {fee > 0n
            ? t("terms.feeMerchant", { amount, merchant, fee: f.token(fee, checkout.token) })
            : t("terms.feeNone", { amount })}{" "}
          {checkout.gasless ? t("terms.gasMaybePier") : t("terms.gasYou")}
        </dd>
      </dl>
    </section>
  );
}

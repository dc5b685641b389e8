/**
 * How a fiat payment reads on the receipt: the wallet's name, and how its payer disputes. A fiat payer
 * cannot dispute() on chain (Pier's treasury paid the escrow for them): a refund from the merchant goes
 * back through the provider (fiat_refund), and a payment the customer has reversed at the provider (a
 * PayPal dispute, a card chargeback) while the escrow still holds it is frozen there (setHold,
 * bridge/holdReversed.ts) so it is not released to the merchant until an operator decides.
 */
import type { Checkout } from "@pier/client/types";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";

type FiatPayment = NonNullable<Checkout["fiat_payment"]>;

const BRANDS: Record<string, string> = { paypal: "PayPal", apple_pay: "Apple Pay", google_pay: "Google Pay" };

/** "PayPal", "Apple Pay", "Google Pay"; the provider's name when the wallet is unknown. */
export function fiatWalletName(fiat: Pick<FiatPayment, "wallet" | "provider">, t: TFunction): string {
  if (fiat.wallet && BRANDS[fiat.wallet]) return BRANDS[fiat.wallet]!;
  if (fiat.provider === "paypal") return "PayPal";
  if (fiat.provider === "stripe") return t("fiat.card");
  return t("fiat.testWallet");
}

export function FiatDisputeHelp({
  fiat,
  merchant,
  until,
}: {
  fiat: FiatPayment;
  merchant: string;
  /** The end of buyer protection, formatted, while the escrow still holds the payment. */
  until?: string;
}) {
  const { t } = useTranslation();
  const wallet = fiatWalletName(fiat, t);
  const where =
    fiat.wallet === "paypal" || (fiat.wallet === null && fiat.provider === "paypal")
      ? t("fiatDispute.wherePaypal")
      : fiat.wallet === "apple_pay" || fiat.wallet === "google_pay" || fiat.provider === "stripe"
        ? t("fiatDispute.whereCard")
        : t("fiatDispute.whereProvider", { wallet });
  return (
    <div className="fiat-dispute" data-testid="fiat-dispute">
      <h3>{t("dispute.title")}</h3>
      <p>{t("fiatDispute.askMerchant", { merchant, wallet })}</p>
      <p>
        {where}{" "}
        {until
          ? t("fiatDispute.frozenUntil", { merchant, date: until })
          : t("fiatDispute.frozen", { merchant })}
      </p>
    </div>
  );
}

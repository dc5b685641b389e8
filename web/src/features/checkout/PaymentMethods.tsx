/**
 * How the customer pays, as selectable cards (a radio group: arrow keys move, the choice applies at once):
 * a browser wallet (the recommended first choice), a fiat wallet in their currency when the operator
 * offers one, or a wallet on their phone. The chosen way's panel follows. Locked while a payment is under
 * way; a customer back from a fiat wallet's approval page starts on the fiat way.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { useFormat } from "../../lib/localeFormat.ts";
import { hasPendingFiatSession, useFiatOptions, WALLET_LABELS } from "./fiat/FiatPanel.tsx";

export type PayMethod = "wallet" | "fiat" | "phone";

export function usePayMethod(orderId: string) {
  return useState<PayMethod>(() => (hasPendingFiatSession(orderId) ? "fiat" : "wallet"));
}

export function PaymentMethods({
  checkout,
  method,
  onChange,
  locked,
}: {
  checkout: Checkout;
  method: PayMethod;
  onChange: (method: PayMethod) => void;
  locked: boolean;
}) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const fiat = useFiatOptions(checkout.id);
  const fiatWallets = fiat.data?.enabled ? fiat.data.wallets.map((w) => WALLET_LABELS[w]) : [];
  const methods: { id: PayMethod; title: string; hint: string; recommended?: boolean }[] = [
    {
      id: "wallet",
      title: t("methods.wallet"),
      hint: t("methods.walletHint", { amount: f.token(checkout.amount, checkout.token) }),
      recommended: true,
    },
    ...(fiatWallets.length > 0
      ? [
          {
            id: "fiat" as const,
            title: new Intl.ListFormat(i18n.language, { type: "disjunction" }).format(fiatWallets),
            hint: t("methods.fiatHint"),
          },
        ]
      : []),
    { id: "phone", title: t("methods.phone"), hint: t("methods.phoneHint") },
  ];
  return (
    <fieldset className="methods" disabled={locked} data-testid="pay-methods">
      <legend className="methods-title">{t("methods.title")}</legend>
      <div className="option-list">
        {methods.map((m) => (
          <label
            key={m.id}
            className={`option method method-${m.id}${m.id === method ? " option-checked" : ""}`}
            data-method={m.id}
          >
            <input
              type="radio"
              name="pay-method"
              value={m.id}
              checked={m.id === method}
              onChange={() => onChange(m.id)}
            />
            <span className={`method-icon method-icon-${m.id}`} aria-hidden="true" />
            <span className="option-body">
              <span className="option-amount">{m.title}</span>
              <span className="option-token muted">{m.hint}</span>
            </span>
            {m.recommended && <span className="tag">{t("wallet.recommended")}</span>}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

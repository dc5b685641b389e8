/**
 * The public page of a payment link (/l/:linkId): shows what is being paid for, asks for the amount
 * when the customer chooses it, creates the customer's own order and forwards to its checkout.
 */

import type { PaymentLinkOrder, PublicPaymentLink } from "@pier/client/types";
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { parseAmountInput } from "../../lib/amountInput.ts";
import { env } from "../../lib/env.ts";
import { withLanguage } from "../../lib/i18n.ts";
import { LanguagePicker } from "../../lib/LanguagePicker.tsx";
import { useFormat } from "../../lib/localeFormat.ts";

async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${env.apiUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers:
      body === undefined
        ? {}
        : { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  if (!res.ok) throw new Error(json?.error?.message ?? `The payment service answered ${res.status}`);
  return json as T;
}

export default function LinkPage({ linkId }: { linkId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const amountId = useId();
  const [link, setLink] = useState<PublicPaymentLink>();
  const [error, setError] = useState<string>();
  const [amount, setAmount] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<PublicPaymentLink>(`/v1/checkout_links/${encodeURIComponent(linkId)}`)
      .then(setLink)
      .catch((e: Error) => setError(e.message));
  }, [linkId]);

  async function pay() {
    if (!link) return;
    const body: { amount?: string } = {};
    if (link.amount_type === "customer_chosen") {
      const parsed = parseAmountInput(amount, link.decimals, { example: "10 or 9.99" });
      if ("error" in parsed) return setError(`${link.currency}: ${parsed.error}`);
      body.amount = parsed.units.toString();
    }
    setBusy(true);
    setError(undefined);
    try {
      const created = await api<PaymentLinkOrder>(`/v1/checkout_links/${link.id}/orders`, body);
      window.location.assign(withLanguage(`/pay/${created.order}`));
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  if (!link) {
    return (
      <main className="page" aria-busy={!error}>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p className="muted">{t("app.loading")}</p>
        )}
      </main>
    );
  }
  const token = { symbol: link.currency, decimals: link.decimals };
  const min = f.token(link.min_amount ?? "1", token);
  const limits = link.max_amount
    ? t("link.range", { min, max: f.token(link.max_amount, token) })
    : t("link.orMore", { min });
  return (
    <main className="page">
      <header className="page-header">
        <LanguagePicker />
      </header>
      <h1>
        <bdi>{link.merchant_name}</bdi>
      </h1>
      {link.description && <p dir="auto">{link.description}</p>}
      {!link.active ? (
        <p className="error" role="alert">
          {t("link.inactive")}
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void pay();
          }}
        >
          {link.amount_type === "fixed" ? (
            <p className="amount">{f.token(link.amount!, token)}</p>
          ) : (
            <>
              <label htmlFor={amountId}>{t("link.amount", { limits })}</label>
              <input
                id={amountId}
                inputMode="decimal"
                autoComplete="off"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
              />
            </>
          )}
          <button type="submit" className="button primary" disabled={busy}>
            {t("link.continue")}
          </button>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </main>
  );
}

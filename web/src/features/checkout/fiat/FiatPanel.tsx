/**
 * Pay with a fiat wallet (PayPal, Apple Pay, Google Pay through the configured provider), next to the
 * crypto wallets: the order's amount in the customer's currency from a locked quote, then a redirect to
 * the wallet's approval page, or (Stripe) the Apple Pay / Google Pay button of StripeWalletButton, a lazy
 * chunk that loads Stripe.js only then. Back on the checkout, the session's status shows here while the page's
 * usual live status follows the order (the bridge pays the escrow once the wallet captured the money).
 */
import type { CheckoutFiatSession } from "@pier/client/types";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Checkout } from "../../../lib/checkoutApi.ts";
import { LANG_PARAM, withLanguage } from "../../../lib/i18n.ts";
import { useFormat } from "../../../lib/localeFormat.ts";
import { FIAT_CURRENCIES, guessCurrency } from "./currencies.ts";
import { type FiatWallet, fiatApi, pendingSession } from "./fiatApi.ts";

const StripeWalletButton = lazy(() => import("./StripeWalletButton.tsx"));

export const WALLET_LABELS: Record<FiatWallet, string> = {
  paypal: "PayPal",
  apple_pay: "Apple Pay",
  google_pay: "Google Pay",
};

/**
 * The wallet's approval page in the page's language: `lang` (BCP 47, as in this page's `?lang=`) is added
 * to the approval link; the sandbox's approval page reads it, other providers ignore an unknown parameter.
 */
export function approvalUrlIn(approvalUrl: string, lng: string): string {
  const url = new URL(approvalUrl);
  url.searchParams.set(LANG_PARAM, lng);
  return url.toString();
}

/** The fiat wallets on offer for an order (none when the operator runs no fiat provider). */
export function useFiatOptions(orderId: string) {
  return useQuery({ queryKey: ["fiat-options", orderId], queryFn: () => fiatApi.options(orderId) });
}

/** A pay-in-your-currency session started from this browser (back from the wallet's approval page). */
export const hasPendingFiatSession = (orderId: string) => pendingSession.get(orderId) !== null;

export function FiatPanel({ checkout, disabled }: { checkout: Checkout; disabled: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const options = useFiatOptions(checkout.id);
  const [sessionId, setSessionId] = useState(() => pendingSession.get(checkout.id));
  if (!options.data?.enabled) return null;
  return (
    <section className="card fiat" aria-labelledby="fiat-title">
      <h2 id="fiat-title">{t("fiat.title")}</h2>
      <p className="muted">{t("fiat.intro", { merchant: checkout.merchant_name })}</p>
      {checkout.terms.escrow_period !== "0" && (
        <p className="muted" data-testid="fiat-protection">
          {t("fiat.protection", {
            merchant: checkout.merchant_name,
            duration: f.duration(Number(checkout.terms.escrow_period)),
          })}
        </p>
      )}
      {sessionId ? (
        <FiatSessionStatus
          orderId={checkout.id}
          sessionId={sessionId}
          onRetry={() => {
            pendingSession.clear(checkout.id);
            setSessionId(null);
          }}
        />
      ) : (
        <FiatPicker
          checkout={checkout}
          wallets={options.data.wallets}
          disabled={disabled}
          onStarted={setSessionId}
        />
      )}
    </section>
  );
}

function FiatPicker({
  checkout,
  wallets,
  disabled,
  onStarted,
}: {
  checkout: Checkout;
  wallets: FiatWallet[];
  disabled: boolean;
  onStarted: (sessionId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const currencyId = useId();
  const [currency, setCurrency] = useState(guessCurrency);
  const [walletSession, setWalletSession] = useState<CheckoutFiatSession>();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();
  const quote = useQuery({
    queryKey: ["fiat-quote", checkout.id, currency],
    queryFn: () => fiatApi.quote(checkout.id, currency),
    // A fresh lock shortly before the current one runs out.
    refetchInterval: (q) =>
      q.state.data ? Math.max(5_000, (q.state.data.expires_at - 30) * 1000 - Date.now()) : false,
    retry: false,
  });

  const pay = async (wallet: FiatWallet) => {
    if (!quote.data) return;
    setStarting(true);
    setError(undefined);
    try {
      const session = await fiatApi.startSession(checkout.id, {
        fx_quote: quote.data.id,
        wallet,
        return_url: withLanguage(window.location.href.split("?")[0]!),
      });
      pendingSession.set(checkout.id, session.id);
      if (session.approval_url) window.location.assign(approvalUrlIn(session.approval_url, i18n.language));
      else if (session.client_secret) setWalletSession(session);
    } catch (e) {
      setError((e as Error).message);
      setStarting(false);
      void quote.refetch();
    }
  };

  if (walletSession?.client_secret)
    return (
      <Suspense fallback={<p className="muted">{t("fiat.loadingWallet")}</p>}>
        <p className="fiat-amount">
          <strong>{f.fiat(walletSession.amount, walletSession.currency)}</strong>
        </p>
        <StripeWalletButton
          clientSecret={walletSession.client_secret}
          amount={walletSession.amount}
          currency={walletSession.currency}
          label={`${t("page.order")} ${checkout.id}`}
          onConfirmed={() => onStarted(walletSession.id)}
        />
      </Suspense>
    );
  return (
    <>
      <div className="fiat-currency">
        <label htmlFor={currencyId}>{t("fiat.currency")}</label>
        <select
          id={currencyId}
          className="select"
          value={currency}
          onChange={(e) => {
            setCurrency(e.target.value);
            setError(undefined);
          }}
        >
          {FIAT_CURRENCIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      {quote.data ? (
        <p className="fiat-amount" data-testid="fiat-amount">
          <strong>{f.fiat(quote.data.source_amount, quote.data.source_currency)}</strong>{" "}
          <span className="muted">{t("fiat.rateLocked", { time: f.time(quote.data.expires_at) })}</span>
        </p>
      ) : quote.isError ? (
        <p className="error" role="alert">
          {quote.error.message}
        </p>
      ) : (
        <p className="muted">{t("fiat.quoting", { currency })}</p>
      )}
      <div className="fiat-wallets">
        {wallets.map((w) => (
          <button
            key={w}
            type="button"
            className={`button wallet-button wallet-${w}`}
            disabled={disabled || starting || !quote.data}
            onClick={() => void pay(w)}
          >
            {t("fiat.payWith", { wallet: WALLET_LABELS[w] })}
          </button>
        ))}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

const STATUS_KEYS = {
  creating: "fiat.status.creating",
  created: "fiat.status.created",
  requires_action: "fiat.status.requires_action",
  approved: "fiat.status.approved",
  captured: "fiat.status.captured",
  refunded: "fiat.status.refunded",
} as const;

function FiatSessionStatus({
  orderId,
  sessionId,
  onRetry,
}: {
  orderId: string;
  sessionId: string;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const session = useQuery({
    queryKey: ["fiat-session", orderId, sessionId],
    queryFn: () => fiatApi.session(orderId, sessionId),
    refetchInterval: (q) =>
      q.state.data && ["captured", "declined", "reversed", "failed", "refunded"].includes(q.state.data.status)
        ? false
        : 1_000,
  });
  const s = session.data;
  if (!s) return <p className="muted">{t("fiat.checking")}</p>;
  const failed = s.status === "declined" || s.status === "reversed" || s.status === "failed";
  return (
    <>
      <p role="status" data-testid="fiat-status" data-status={s.status}>
        {f.fiat(s.amount, s.currency)}:{" "}
        {failed
          ? (s.failure_message ?? t("fiat.failed"))
          : t(STATUS_KEYS[s.status as keyof typeof STATUS_KEYS] ?? "fiat.status.created")}
      </p>
      {(failed || s.status === "created") && (
        <button type="button" className="button" onClick={onRetry}>
          {failed ? t("common.tryAgain") : t("fiat.another")}
        </button>
      )}
    </>
  );
}

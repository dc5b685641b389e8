/**
 * Pay with a fiat wallet (PayPal, Apple Pay, Google Pay through the configured provider), next to the
 * crypto wallets: the order's amount in the customer's currency from a locked quote, then a redirect to
 * the wallet's approval page, or (Stripe) the Apple Pay / Google Pay button of StripeWalletButton, a lazy
 * chunk that loads Stripe.js only then. Back on the checkout, the session's status shows here while the page's
 * usual live status follows the order (the bridge pays the escrow once the wallet captured the money).
 */
import type { CheckoutFiatSession } from "@pier/client/types";
import { formatFiat } from "@pier/money/display";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import type { Checkout } from "../../../lib/checkoutApi.ts";
import { FIAT_CURRENCIES, guessCurrency } from "./currencies.ts";
import { type FiatWallet, fiatApi, pendingSession } from "./fiatApi.ts";

const StripeWalletButton = lazy(() => import("./StripeWalletButton.tsx"));

const WALLET_LABELS: Record<FiatWallet, string> = {
  paypal: "PayPal",
  apple_pay: "Apple Pay",
  google_pay: "Google Pay",
};

export function FiatPanel({ checkout, disabled }: { checkout: Checkout; disabled: boolean }) {
  const options = useQuery({
    queryKey: ["fiat-options", checkout.id],
    queryFn: () => fiatApi.options(checkout.id),
  });
  const [sessionId, setSessionId] = useState(() => pendingSession.get(checkout.id));
  if (!options.data?.enabled) return null;
  return (
    <section className="card fiat" aria-labelledby="fiat-title">
      <h2 id="fiat-title">Or pay with a wallet in your currency</h2>
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
        return_url: window.location.href.split("?")[0]!,
      });
      pendingSession.set(checkout.id, session.id);
      if (session.approval_url) window.location.assign(session.approval_url);
      else if (session.client_secret) setWalletSession(session);
    } catch (e) {
      setError((e as Error).message);
      setStarting(false);
      void quote.refetch();
    }
  };

  if (walletSession?.client_secret)
    return (
      <Suspense fallback={<p className="muted">Loading your wallet…</p>}>
        <p className="fiat-amount">
          <strong>{formatFiat(walletSession.amount, walletSession.currency)}</strong>
        </p>
        <StripeWalletButton
          clientSecret={walletSession.client_secret}
          amount={walletSession.amount}
          currency={walletSession.currency}
          label={`Order ${checkout.id}`}
          onConfirmed={() => onStarted(walletSession.id)}
        />
      </Suspense>
    );
  return (
    <>
      <label className="fiat-currency">
        Currency{" "}
        <select
          value={currency}
          onChange={(e) => {
            setCurrency(e.target.value);
            setError(undefined);
          }}
          aria-label="Currency"
        >
          {FIAT_CURRENCIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      {quote.data ? (
        <p className="fiat-amount" data-testid="fiat-amount">
          <strong>{formatFiat(quote.data.source_amount, quote.data.source_currency)}</strong>{" "}
          <span className="muted">
            rate locked until {new Date(quote.data.expires_at * 1000).toLocaleTimeString()}
          </span>
        </p>
      ) : quote.isError ? (
        <p className="error" role="alert">
          {quote.error.message}
        </p>
      ) : (
        <p className="muted">Getting the amount in {currency}…</p>
      )}
      <div className="fiat-wallets">
        {wallets.map((w) => (
          <button
            key={w}
            type="button"
            className="button"
            disabled={disabled || starting || !quote.data}
            onClick={() => void pay(w)}
          >
            Pay with {WALLET_LABELS[w]}
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

const STATUS_TEXT: Record<string, string> = {
  creating: "Opening your wallet…",
  created: "Waiting for your approval in the wallet…",
  requires_action: "Your wallet needs one more step.",
  approved: "Approved: taking the payment…",
  captured: "Paid. Moving the payment into escrow…",
  refunded: "This payment was refunded to your wallet.",
};

function FiatSessionStatus({
  orderId,
  sessionId,
  onRetry,
}: {
  orderId: string;
  sessionId: string;
  onRetry: () => void;
}) {
  const session = useQuery({
    queryKey: ["fiat-session", orderId, sessionId],
    queryFn: () => fiatApi.session(orderId, sessionId),
    refetchInterval: (q) =>
      q.state.data && ["captured", "declined", "reversed", "failed", "refunded"].includes(q.state.data.status)
        ? false
        : 1_000,
  });
  const s = session.data;
  if (!s) return <p className="muted">Checking your wallet payment…</p>;
  const failed = s.status === "declined" || s.status === "reversed" || s.status === "failed";
  return (
    <>
      <p role="status" data-testid="fiat-status" data-status={s.status}>
        {formatFiat(s.amount, s.currency)}:{" "}
        {failed ? (s.failure_message ?? "The wallet did not complete this payment.") : STATUS_TEXT[s.status]}
      </p>
      {(failed || s.status === "created") && (
        <button type="button" className="button" onClick={onRetry}>
          {failed ? "Try again" : "Choose another way to pay"}
        </button>
      )}
    </>
  );
}

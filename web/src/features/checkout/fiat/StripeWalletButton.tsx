/**
 * Apple Pay / Google Pay through Stripe (lazy chunk: imported only for a Stripe wallet session). The
 * Payment Request Button is shown when the browser has a wallet; the wallet's payment method confirms
 * the session's PaymentIntent with its client secret. Stripe then sends the bridge its webhook (the
 * intent is authorised, the API captures it and pays the escrow); the panel follows the session.
 */
import { AmountError } from "@pier/money/errors";
import { parseMinorUnits } from "@pier/money/units";
import { useEffect, useRef, useState } from "react";
import { loadStripe, stripeConfig } from "./stripeJs.ts";

/**
 * The payment sheet's total: "12.30" EUR -> 1230, in the currency's ISO 4217 minor units, exactly. A
 * value with more decimals than the currency has is refused (the button shows why), never cut. Stripe
 * counts a few currencies in other units than ISO (ISK, MGA, ...; api/src/fiat/stripe/mapping.ts);
 * none of them is offered by the checkout's currency picker (currencies.ts).
 */
export function paymentSheetTotal(amount: string, currency: string): number {
  const units = parseMinorUnits(amount, currency);
  if (units > BigInt(Number.MAX_SAFE_INTEGER))
    throw new AmountError("range", `${amount} ${currency} is too large for the wallet's payment sheet`);
  return Number(units);
}

export default function StripeWalletButton({
  clientSecret,
  amount,
  currency,
  label,
  onConfirmed,
}: {
  clientSecret: string;
  amount: string;
  currency: string;
  label: string;
  onConfirmed: () => void;
}) {
  const target = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "unavailable" | "confirming">("loading");
  const [error, setError] = useState<string>();
  // The button lives as long as the session; a parent's re-render must not rebuild it.
  const confirmed = useRef(onConfirmed);
  confirmed.current = onConfirmed;

  useEffect(() => {
    let destroyed = false;
    let destroy: (() => void) | undefined;
    loadStripe()
      .then(async (stripe) => {
        const request = stripe.paymentRequest({
          country: stripeConfig.country,
          currency: currency.toLowerCase(),
          total: { label, amount: paymentSheetTotal(amount, currency) },
        });
        request.on("paymentmethod", async (ev) => {
          setState("confirming");
          const result = await stripe.confirmCardPayment(
            clientSecret,
            { payment_method: ev.paymentMethod.id },
            { handleActions: false },
          );
          ev.complete(result.error ? "fail" : "success");
          if (result.error) {
            setError(result.error.message ?? "The wallet payment failed");
            setState("ready");
          } else confirmed.current();
        });
        if (destroyed) return;
        if (!(await request.canMakePayment())) return setState("unavailable");
        const button = stripe.elements().create("paymentRequestButton", { paymentRequest: request });
        if (destroyed || !target.current) return;
        button.mount(target.current);
        destroy = () => button.destroy();
        setState("ready");
      })
      .catch((e: Error) => {
        setError(e.message);
        setState("unavailable");
      });
    return () => {
      destroyed = true;
      destroy?.();
    };
  }, [clientSecret, amount, currency, label]);

  return (
    <div className="stripe-wallet">
      <div ref={target} data-testid="stripe-wallet-button" />
      {state === "loading" && <p className="muted">Loading your wallet…</p>}
      {state === "confirming" && <p className="muted">Confirming with your wallet…</p>}
      {state === "unavailable" && !error && (
        <p className="muted">Apple Pay and Google Pay are not available in this browser.</p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** The payment's steps with their state, and the error of the step that failed with a way to retry. */
import { useEffect, useRef } from "react";
import type { Chain } from "viem";
import { StepList } from "./StepList.tsx";
import type { CheckoutPayMethod } from "./tokenSupport.ts";
import type { PaySession, StepView } from "./usePayment.ts";

const labels: Record<StepView["id"], string> = {
  approve: "Approve the escrow to take the payment",
  sign: "Sign in your wallet",
  send: "Send the payment",
  confirm: "Confirmed on chain",
  escrow: "Held in escrow for the merchant",
};

const methodWords = {
  authorization: "one signature and one transaction (ERC-3009)",
  permit: "one signature and one transaction (permit)",
  dai_permit: "one signature and one transaction (DAI permit)",
  allowance: "an approval and a payment transaction",
  relayed: "one signature; Pier sends it and pays the network fee (ERC-3009)",
  batch: "one confirmation: your wallet sends the approval and the payment together (EIP-5792)",
} satisfies Record<CheckoutPayMethod, string>;

export function PaySteps({
  session,
  chain,
  onRetry,
}: {
  session: PaySession;
  chain: Chain;
  onRetry: () => void;
}) {
  const retryRef = useRef<HTMLButtonElement>(null);
  const error = session.error;
  useEffect(() => {
    if (error) retryRef.current?.focus();
  }, [error]);

  return (
    <section className="card steps" aria-labelledby="steps-title">
      <h2 id="steps-title" className="sr-only">
        Payment progress
      </h2>
      <p className="muted">Paying with {methodWords[session.method]}.</p>
      {session.notice && <p className="notice-text">{session.notice}</p>}
      <StepList steps={session.steps} labels={labels} chain={chain} />
      {error && !session.running && (
        <div className="error-box" role="alert">
          <p className="error" data-testid="pay-error">
            {error.message}
          </p>
          <button ref={retryRef} type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
    </section>
  );
}

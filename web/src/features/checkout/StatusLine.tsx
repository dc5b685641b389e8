/**
 * One line that says where things stand, announced to screen readers as it changes (role="status" is a
 * polite live region): the current payment step, or the order's state.
 */
import type { Checkout } from "../../lib/checkoutApi.ts";
import type { PaySession } from "./usePayment.ts";

const orderWords: Record<string, string> = {
  open: "Waiting for payment.",
  processing: "Payment seen on chain, waiting for confirmations.",
  escrowed: "Paid. The money is held in escrow for the merchant.",
  settled: "Paid and released to the merchant.",
  disputed: "Paid. A dispute is open.",
  refunded: "This payment was refunded.",
  canceled: "This order was canceled.",
  expired: "This order has expired.",
};

export function StatusLine({
  checkout,
  session,
  expired,
}: {
  checkout: Checkout;
  session?: PaySession;
  expired: boolean;
}) {
  let text = expired && checkout.status === "open" ? orderWords.expired : orderWords[checkout.status];
  if (session && checkout.status === "open") {
    const active = session.steps.find((s) => s.state === "active");
    if (session.error) text = "The payment did not go through. See below.";
    else if (active?.detail) text = active.detail;
  }
  return (
    <p
      className="status-line"
      role="status"
      data-testid="status-line"
      data-status={expired ? "expired" : checkout.status}
    >
      {text}
    </p>
  );
}

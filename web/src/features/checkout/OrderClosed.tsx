/** An order that can no longer be paid and was not: expired or canceled. Says so plainly. */
import type { Checkout } from "../../lib/checkoutApi.ts";
import { formatDateTime } from "../../lib/format.ts";

export function OrderClosed({ checkout, reason }: { checkout: Checkout; reason: "expired" | "canceled" }) {
  return (
    <section className="card closed" aria-labelledby="closed-title">
      <h2 id="closed-title" tabIndex={-1}>
        {reason === "expired" ? "This order has expired" : "This order was canceled"}
      </h2>
      <p>
        {reason === "expired"
          ? `It had to be paid before ${formatDateTime(checkout.expires_at)}. Nothing was charged.`
          : `${checkout.merchant_name} canceled it. Nothing was charged.`}{" "}
        Ask {checkout.merchant_name} for a new payment link if you still want to pay.
      </p>
      {checkout.cancel_url && (
        <a className="button secondary" href={checkout.cancel_url}>
          Back to {checkout.merchant_name}
        </a>
      )}
    </section>
  );
}

/**
 * A stand-in for Stripe.js (https://js.stripe.com/v3) that the Stripe emulator serves at `/js/v3`, so the
 * checkout's wallet button runs here without Stripe's script. It implements only what
 * web/src/features/checkout/fiat/StripeWalletButton.tsx uses, with Stripe's documented shapes:
 *
 *   Stripe(publishableKey)
 *   stripe.paymentRequest({ country, currency, total: { label, amount } })
 *     .canMakePayment() -> { applePay: true, googlePay: true }
 *     .on("paymentmethod", ev => ...)  ev.paymentMethod.id, ev.walletName, ev.complete(status)
 *   stripe.elements().create("paymentRequestButton", { paymentRequest }).mount(el) | .destroy()
 *     a button; clicking it stands for the wallet sheet: the wallet hands over its card (pm_card_visa)
 *   stripe.confirmCardPayment(clientSecret, { payment_method }, { handleActions })
 *     -> POST /v1/payment_intents/:id/confirm (form: key, client_secret, payment_method), as Stripe.js
 *        does; resolves { paymentIntent } or { error }
 */
export function stripeJsStandIn(apiBase: string): string {
  return `(() => {
  const API = ${JSON.stringify(apiBase)};
  function Stripe(key) {
    if (typeof key !== "string" || !key.startsWith("pk_"))
      throw new Error("Stripe(): a publishable key (pk_...) is required");
    async function confirmCardPayment(clientSecret, data, options) {
      const id = String(clientSecret).split("_secret_")[0];
      const body = new URLSearchParams({ key, client_secret: clientSecret });
      if (data && data.payment_method) body.set("payment_method", data.payment_method);
      const res = await fetch(API + "/v1/payment_intents/" + encodeURIComponent(id) + "/confirm", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: body.toString(),
      });
      const json = await res.json();
      return res.ok ? { paymentIntent: json } : { error: json.error };
    }
    function paymentRequest(options) {
      if (!options || !options.country || !options.currency || !options.total)
        throw new Error("paymentRequest(): country, currency and total are required");
      const handlers = {};
      return {
        options,
        canMakePayment: async () => ({ applePay: true, googlePay: true, link: false }),
        on(event, handler) { handlers[event] = handler; },
        show() {
          const ev = {
            paymentMethod: { id: "pm_card_visa", object: "payment_method", type: "card" },
            walletName: "applePay",
            completed: undefined,
            complete(status) { ev.completed = status; },
          };
          if (handlers.paymentmethod) handlers.paymentmethod(ev);
          return ev;
        },
      };
    }
    function elements() {
      return {
        create(type, options) {
          if (type !== "paymentRequestButton" || !options || !options.paymentRequest)
            throw new Error("elements().create: only paymentRequestButton with a paymentRequest");
          let button;
          return {
            mount(target) {
              const el = typeof target === "string" ? document.querySelector(target) : target;
              button = document.createElement("button");
              button.type = "button";
              button.className = "StripeElement PaymentRequestButton";
              button.textContent = "Pay with Apple Pay or Google Pay";
              button.addEventListener("click", () => options.paymentRequest.show());
              el.appendChild(button);
            },
            destroy() { if (button) button.remove(); },
          };
        },
      };
    }
    return { paymentRequest, elements, confirmCardPayment };
  }
  window.Stripe = Stripe;
})();
`;
}

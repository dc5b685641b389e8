/**
 * Stripe.js, loaded only when the provider is Stripe and a wallet session needs its button: a script
 * tag added on demand (never part of the checkout's bundle, never vendored). Its URL is
 * VITE_STRIPE_JS_URL (default Stripe's own, https://js.stripe.com/v3; the local Stripe emulator serves a
 * stand-in of the subset used here), the publishable key VITE_STRIPE_PUBLISHABLE_KEY. The build's CSP
 * allows that URL's origin (web/vite.config.ts). Types: the subset of Stripe.js this checkout uses.
 */

export interface StripePaymentMethodEvent {
  paymentMethod: { id: string };
  walletName?: string;
  complete(status: "success" | "fail"): void;
}

export interface StripePaymentRequest {
  canMakePayment(): Promise<Record<string, boolean> | null>;
  on(event: "paymentmethod", handler: (ev: StripePaymentMethodEvent) => void): void;
  on(event: "cancel", handler: () => void): void;
}

export interface StripeElement {
  mount(target: HTMLElement): void;
  destroy(): void;
}

export interface StripeJs {
  paymentRequest(options: {
    country: string;
    currency: string;
    total: { label: string; amount: number };
    requestPayerName?: boolean;
    requestPayerEmail?: boolean;
  }): StripePaymentRequest;
  elements(): {
    create(type: "paymentRequestButton", options: { paymentRequest: StripePaymentRequest }): StripeElement;
  };
  confirmCardPayment(
    clientSecret: string,
    data: { payment_method: string },
    options: { handleActions: boolean },
  ): Promise<{ paymentIntent?: { id: string; status: string }; error?: { message?: string } }>;
}

declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

export const stripeConfig = {
  jsUrl: (import.meta.env.VITE_STRIPE_JS_URL as string | undefined) || "https://js.stripe.com/v3",
  publishableKey: import.meta.env.VITE_STRIPE_PUBLISHABLE_KEY as string | undefined,
  /** The Stripe account's country (Payment Request needs it). */
  country: (import.meta.env.VITE_STRIPE_COUNTRY as string | undefined) || "US",
};

let loading: Promise<StripeJs> | undefined;

export function loadStripe(config = stripeConfig): Promise<StripeJs> {
  if (!config.publishableKey?.startsWith("pk_"))
    return Promise.reject(new Error("Wallet payments are not configured (no Stripe publishable key)"));
  loading ??= new Promise<StripeJs>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = config.jsUrl;
    script.async = true;
    script.onload = () =>
      window.Stripe
        ? resolve(window.Stripe(config.publishableKey!))
        : reject(new Error("Stripe.js did not load"));
    script.onerror = () => {
      loading = undefined;
      reject(new Error("Stripe.js could not be loaded"));
    };
    document.head.appendChild(script);
  });
  return loading;
}

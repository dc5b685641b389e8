import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type StripeEmulator, startStripeEmulator } from "../../../test/emulators/stripe.ts";
import { ConfigError } from "../lib/env.ts";
import { createFiatProvider, FIAT_PROVIDERS, fiatProviderNames, selectFiatProvider } from "./registry.ts";

/** The provider a configuration selects, as the API builds it at boot. */
function providerFor(env: Record<string, string>) {
  const selection = selectFiatProvider(env);
  if (selection.off !== undefined) throw new Error(`fiat wallets off: ${selection.off}`);
  return createFiatProvider(selection);
}

const sandboxEnv = {
  PIER_SANDBOX_API_KEY: "sbx_sk_0123456789abcdef",
  PIER_SANDBOX_WEBHOOK_SECRET: "sbx_whsec_0123456789ab",
};
let stripe: StripeEmulator;
beforeAll(async () => {
  stripe = await startStripeEmulator({ secretKey: "sk_test_registry", webhookSecret: "whsec_registry" });
});
afterAll(() => stripe?.close());

describe("fiat provider registry", () => {
  test("default: sandbox when PIER_FIAT_PROVIDER is unset; credentials in the environment select theirs", () => {
    expect(
      selectFiatProvider({ STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: "whsec_x" }).name,
    ).toBe("stripe");
    expect(providerFor(sandboxEnv).name).toBe("sandbox");
  });

  test("behavior: every provider is registered exactly once and selectable by name", async () => {
    expect(fiatProviderNames()).toEqual(["sandbox", "paypal", "stripe"]);
    expect(new Set(FIAT_PROVIDERS.map((p) => p.name)).size).toBe(FIAT_PROVIDERS.length);
    const paypal = providerFor({
      PIER_FIAT_PROVIDER: "paypal",
      PAYPAL_CLIENT_ID: "id",
      PAYPAL_CLIENT_SECRET: "secret",
      PAYPAL_WEBHOOK_ID: "4JH86294D6297924G",
    });
    expect(paypal.name).toBe("paypal");
    expect(paypal.mapStatus("COMPLETED")).toBe("captured");
  });

  test("behavior: STRIPE_API_HOST/PORT/PROTOCOL point the SDK at another server", async () => {
    const provider = providerFor({
      PIER_FIAT_PROVIDER: "stripe",
      STRIPE_SECRET_KEY: "sk_test_registry",
      STRIPE_WEBHOOK_SECRET: "whsec_registry",
      STRIPE_API_HOST: stripe.host,
      STRIPE_API_PORT: String(stripe.port),
      STRIPE_API_PROTOCOL: "http",
    });
    const session = await provider.createSession({
      order: { id: "ord_reg" },
      amount: { value: "10.00", currency: "EUR" },
      returnUrl: "https://x.example/r",
      cancelUrl: "https://x.example/c",
      idempotencyKey: "reg-1",
    });
    expect(session.providerRef).toMatch(/^pi_/);
  });

  test("error: unknown provider and missing secrets name the variable", () => {
    expect(() => providerFor({ PIER_FIAT_PROVIDER: "venmo" })).toThrow(ConfigError);
    expect(selectFiatProvider({})).toEqual({
      name: "sandbox",
      off: "no fiat wallet provider is configured (PIER_SANDBOX_API_KEY is unset)",
    });
    expect(() => providerFor({ PIER_FIAT_PROVIDER: "sandbox" })).toThrow(/PIER_SANDBOX_API_KEY/);
    expect(() => providerFor({ PIER_FIAT_PROVIDER: "paypal", PAYPAL_CLIENT_ID: "x" })).toThrow(
      /PAYPAL_CLIENT_SECRET/,
    );
    expect(() =>
      providerFor({
        PIER_FIAT_PROVIDER: "stripe",
        STRIPE_SECRET_KEY: "pk_test_public",
        STRIPE_WEBHOOK_SECRET: "whsec_x",
      }),
    ).toThrow(/STRIPE_SECRET_KEY/);
  });

  test("behavior: every adapter maps every documented status, and refuses unknown ones", () => {
    const env = {
      ...sandboxEnv,
      PAYPAL_CLIENT_ID: "id",
      PAYPAL_CLIENT_SECRET: "s",
      PAYPAL_WEBHOOK_ID: "W1",
      STRIPE_SECRET_KEY: "sk_test_x",
      STRIPE_WEBHOOK_SECRET: "whsec_x",
    };
    const cases: Record<string, Record<string, string>> = {
      sandbox: {
        pending_approval: "created",
        approved: "approved",
        declined: "declined",
        captured: "captured",
        reversed: "reversed",
        refunded: "refunded",
        expired: "failed",
      },
      paypal: {
        CREATED: "created",
        PAYER_ACTION_REQUIRED: "requires_action",
        APPROVED: "approved",
        COMPLETED: "captured",
        DECLINED: "declined",
        PARTIALLY_REFUNDED: "captured",
        REFUNDED: "refunded",
        VOIDED: "failed",
      },
      stripe: {
        requires_payment_method: "created",
        requires_action: "requires_action",
        requires_capture: "approved",
        succeeded: "captured",
        canceled: "failed",
      },
    };
    for (const name of fiatProviderNames()) {
      const provider = providerFor({ ...env, PIER_FIAT_PROVIDER: name });
      for (const [theirs, ours] of Object.entries(cases[name]!))
        expect(provider.mapStatus(theirs), `${name} ${theirs}`).toBe(ours);
      expect(() => provider.mapStatus("SOMETHING_NEW")).toThrow(/unknown/);
    }
  });
});

import { AmountError } from "@pier/money/errors";
import { afterEach, describe, expect, test } from "vitest";
import { paymentSheetTotal } from "./StripeWalletButton.tsx";
import { loadStripe } from "./stripeJs.ts";

const globals = globalThis as unknown as { document?: unknown; window?: unknown };

afterEach(() => {
  delete globals.document;
  delete globals.window;
});

describe("Stripe.js loader", () => {
  test("error: without a publishable key nothing is loaded", async () => {
    let created = 0;
    globals.document = { createElement: () => created++ };
    await expect(
      loadStripe({ jsUrl: "http://127.0.0.1:1/js/v3", publishableKey: undefined, country: "US" }),
    ).rejects.toThrow(/not configured/);
    await expect(
      loadStripe({ jsUrl: "http://127.0.0.1:1/js/v3", publishableKey: "sk_live_x", country: "US" }),
    ).rejects.toThrow(/not configured/);
    expect(created).toBe(0);
  });

  test("default: one script tag from the configured URL, shared by every caller", async () => {
    const scripts: { src?: string; onload?: () => void }[] = [];
    const keys: string[] = [];
    globals.window = {};
    globals.document = {
      createElement: () => {
        const s = {};
        scripts.push(s);
        return s;
      },
      head: { appendChild: () => undefined },
    };
    const config = { jsUrl: "http://127.0.0.1:1/js/v3", publishableKey: "pk_test_1", country: "US" };
    const [a, b] = [loadStripe(config), loadStripe(config)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]!.src).toBe("http://127.0.0.1:1/js/v3");
    (globals.window as { Stripe: (k: string) => unknown }).Stripe = (k) => {
      keys.push(k);
      return { key: k };
    };
    scripts[0]!.onload!();
    expect(await a).toEqual({ key: "pk_test_1" });
    expect(await b).toBe(await a);
    expect(keys).toEqual(["pk_test_1"]);
  });
});

describe("paymentSheetTotal", () => {
  test("default: decimal strings to the wallet sheet's integer amount, exactly", () => {
    expect(paymentSheetTotal("23.10", "EUR")).toBe(2310);
    expect(paymentSheetTotal("23.1", "EUR")).toBe(2310);
    expect(paymentSheetTotal("2500", "JPY")).toBe(2500);
    expect(paymentSheetTotal("10.125", "KWD")).toBe(10125);
    expect(paymentSheetTotal("0.07", "USD")).toBe(7);
  });

  test("error: more decimals than the currency has is refused, not cut", () => {
    expect(() => paymentSheetTotal("10.129", "EUR")).toThrow(/EUR has 2 decimal places; '10.129' has more/);
    expect(() => paymentSheetTotal("2500.5", "JPY")).toThrow(AmountError);
    expect(() => paymentSheetTotal("90071992547409.93", "USD")).toThrow(/too large/);
  });
});

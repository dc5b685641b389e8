import { afterEach, describe, expect, test } from "vitest";
import { minorUnits } from "./StripeWalletButton.tsx";
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

describe("minorUnits", () => {
  test("default: decimal strings to the wallet sheet's integer amount, exactly", () => {
    expect(minorUnits("23.10", 2)).toBe(2310);
    expect(minorUnits("2500", 0)).toBe(2500);
    expect(minorUnits("10.125", 3)).toBe(10125);
    expect(minorUnits("0.07", 2)).toBe(7);
  });
});

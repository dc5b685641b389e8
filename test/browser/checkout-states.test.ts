/**
 * The checkout in every other state a customer can meet: not enough money, a legacy injected wallet
 * (keyboard only), paying from a phone (QR code) while this page updates live, disputing a paid order
 * during buyer protection, every shipped language, a canceled order, and an expired one (last: it moves
 * chain time forward, which the page then notices). axe-core checks each state.
 */

import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { type PaymentTermsJson, paymentTermsFromJson } from "../../contracts/lib/termsJson.ts";
import { evmIncreaseTime, evmMine } from "../harness/payments.ts";
import { expectAccessible } from "./lib/axe.ts";
import { openCheckout, screenshot, screenshots, tabTo, waitForReceipt } from "./lib/checkoutPage.ts";
import { type CheckoutStack, startCheckoutStack } from "./lib/checkoutStack.ts";
import { launchChromium } from "./lib/playwright.ts";

const LANGUAGES = ["en", "zh-CN", "es", "fr", "de", "ja", "ar"] as const;
const catalogue = (lng: string) =>
  JSON.parse(readFileSync(new URL(`../../web/src/locales/${lng}.json`, import.meta.url), "utf8")) as {
    methods: { title: string };
  };

let cs: CheckoutStack;
let browser: Browser;

beforeAll(async () => {
  [cs, browser] = await Promise.all([startCheckoutStack({ webDir: inject("webDir") }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await cs?.stop();
});

describe("checkout: states", () => {
  test("behavior: a balance too small is explained before any prompt", async () => {
    const order = await cs.createOrder({ amount: "2000000000000" });
    const { page, wallet, close } = await openCheckout(browser, cs, order.id);
    await page.getByRole("button", { name: "Pier Test Wallet" }).click();
    const short = page.getByTestId("short-balance");
    await short.waitFor();
    expect(await short.textContent()).toBe(
      "This order needs 2,000,000.00 tUSDC but your wallet holds 1,000,000.00 tUSDC. Add 1,000,000.00 tUSDC to this wallet, or use another one: this page updates by itself.",
    );
    expect(await page.getByTestId("pay-button").isDisabled()).toBe(true);
    expect(wallet.prompts()).toEqual([]);
    await screenshot(page, "checkout-short-balance");
    await close();
  });

  test("behavior: a legacy window.ethereum wallet is offered when none announces itself (keyboard only)", async () => {
    const order = await cs.createOrder();
    const { page, close } = await openCheckout(browser, cs, order.id, { announce: false, legacy: true });
    // Tab, Enter and Space only: from the top of the page to the wallet, then to the pay button.
    const wallet = page.getByRole("button", { name: "Injected" });
    await wallet.waitFor();
    await tabTo(page, wallet);
    await page.keyboard.press("Enter");
    const pay = page.locator('[data-testid="pay-button"]:not([disabled])');
    await pay.waitFor();
    await tabTo(page, pay);
    await page.keyboard.press("Space");
    await waitForReceipt(page);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Payment complete");
    await close();
  });

  test("behavior: pay from a phone (QR code of this page); this page shows the payment without reloading", async () => {
    const order = await cs.createOrder();
    const { page, close } = await openCheckout(browser, cs, order.id);
    // One of the ways to pay, in view from the start; choosing it shows the code at once.
    await page.getByRole("radio", { name: /^Wallet on your phone/ }).check();
    await page.getByRole("heading", { name: "Pay on your phone" }).waitFor();
    await page.getByTestId("qr-code").waitFor();
    expect(await page.getByTestId("handoff-link").getAttribute("href")).toBe(cs.checkoutUrl(order.id));
    await screenshot(page, "checkout-phone-qr");

    // The phone's wallet pays the same signed terms (operator signatures are deterministic).
    await cs.stack.pay.payByPermit(paymentTermsFromJson(order.terms as PaymentTermsJson), "customer2");
    await waitForReceipt(page);
    expect(await page.getByTestId("receipt-amount").textContent()).toBe("10.00 tUSDC");
    await close();
  });

  test("behavior: the payer opens a dispute from the page during buyer protection", async () => {
    const order = await cs.createOrder();
    await cs.stack.pay.payByAuthorization(paymentTermsFromJson(order.terms as PaymentTermsJson), "customer");
    const { page, wallet, close } = await openCheckout(browser, cs, order.id);
    await waitForReceipt(page);
    await page.getByRole("button", { name: "Pier Test Wallet" }).click();
    await page.getByRole("button", { name: "Open a dispute" }).click();
    await page.getByRole("button", { name: "Yes, open a dispute" }).click();
    await waitForReceipt(page, "disputed");
    await expectAccessible(page, "disputed");
    await screenshot(page, "checkout-disputed");
    expect(wallet.prompts().map((p) => p.method)).toEqual(["eth_sendTransaction"]);
    expect((await cs.checkout(order.id)).status).toBe("disputed");
    await close();
  });

  test("behavior: every shipped language from one order (?lang=), Arabic right to left, axe-clean", async () => {
    const order = await cs.createOrder();
    const { page, close } = await openCheckout(browser, cs, order.id);
    for (const lng of LANGUAGES) {
      await page.goto(cs.checkoutUrl(order.id, `lang=${lng}`));
      await page.getByText(catalogue(lng).methods.title).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lng);
      expect(await page.evaluate(() => document.documentElement.dir)).toBe(lng === "ar" ? "rtl" : "ltr");
      expect(await page.getByTestId("language-picker").inputValue()).toBe(lng);
      await expectAccessible(page, `unpaid, ${lng}`);
      await screenshot(page, `checkout-lang-${lng}`);
    }
    // The picker switches at once and writes ?lang= into the address, which the phone link carries on.
    await page.getByRole("radio", { name: /^محفظة على هاتفك/ }).check();
    const phoneLink = await page.getByTestId("handoff-link").getAttribute("href");
    expect(new URL(phoneLink ?? "").searchParams.get("lang")).toBe("ar");
    await page.getByLabel("اللغة").selectOption("fr");
    await page.getByText(catalogue("fr").methods.title).waitFor();
    expect(new URL(page.url()).searchParams.get("lang")).toBe("fr");
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("ltr");
    await close();
  });

  test("behavior: without ?lang= the browser's languages choose (es-MX -> es, zh -> zh-CN), and an unknown ?lang= falls back to them", async () => {
    const order = await cs.createOrder();
    for (const [locale, query, expected] of [
      ["es-MX", "", "es"],
      ["zh", "", "zh-CN"],
      ["de-AT", "lang=xx", "de"],
      ["pt-BR", "", "en"],
    ] as const) {
      const context = await browser.newContext({ locale });
      try {
        const page = await context.newPage();
        await page.goto(cs.checkoutUrl(order.id, query || undefined));
        await page.getByText(catalogue(expected).methods.title).waitFor();
        expect(await page.evaluate(() => document.documentElement.lang), locale).toBe(expected);
        // A negotiated language stays out of the address; a link that asked for one gets the one shown.
        expect(new URL(page.url()).searchParams.get("lang"), locale).toBe(query ? expected : null);
      } finally {
        await context.close();
      }
    }
  });

  test("behavior: a canceled order says so and offers no payment", async () => {
    const order = await cs.createOrder({ cancel_url: "https://shop.example/cart" });
    await cs.cancelOrder(order.id);
    const { page, close } = await openCheckout(browser, cs, order.id);
    await page.getByRole("heading", { name: "This order was canceled" }).waitFor();
    expect(await page.getByTestId("pay-button").count()).toBe(0);
    expect(await page.getByRole("link", { name: `Back to ${cs.merchantName}` }).getAttribute("href")).toBe(
      "https://shop.example/cart",
    );
    await expectAccessible(page, "canceled");
    await close();
  });

  test("behavior: an order that expires while open says so, live, and can no longer be paid", async () => {
    const now = Number(await cs.stack.pay.chainTime());
    const order = await cs.createOrder({ expires_at: Math.max(now, Math.floor(Date.now() / 1000)) + 90 });
    const { page, close } = await openCheckout(browser, cs, order.id);
    await page.getByTestId("countdown").waitFor();
    await evmIncreaseTime(cs.stack.chain.rpcUrl, 600);
    await evmMine(cs.stack.chain.rpcUrl);
    await page.getByRole("heading", { name: "This order has expired" }).waitFor();
    expect(await page.getByTestId("status-line").getAttribute("data-status")).toBe("expired");
    expect(await page.getByTestId("pay-button").count()).toBe(0);
    // The page reads chain time from the API's head; the stored status follows once the indexer has
    // seen that block and the order syncer has run, so the API catches up a moment later.
    await expect.poll(async () => (await cs.checkout(order.id)).status, { timeout: 15_000 }).toBe("expired");
    // Chain time is now ~10 minutes ahead of the browser's clock: the page says so.
    const notice = page.getByTestId("clock-notice");
    await notice.waitFor();
    expect(Number(await notice.getAttribute("data-offset"))).toBeGreaterThan(300);
    expect(await notice.textContent()).toContain("ahead of yours");
    await expectAccessible(page, "expired");
    await screenshots(page, "checkout-expired");
    await close();
  });
});

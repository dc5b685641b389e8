/**
 * The checkout's fiat wallet path in a real browser: the order's amount in EUR from a locked quote,
 * the sandbox wallet's approval page (PayPal look), back to the checkout's live status while the bridge's
 * treasury pays the escrow; one order is refunded (the sandbox refunds the captured euros), another
 * settles after the buyer-protection window (chain time travel, the keeper releases it).
 */
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { ApiHandle } from "../../api/lib/start.ts";
import { type SandboxWallet, startSandboxWallet } from "../../api/src/fiat/sandbox/simulator.ts";
import { devAccount } from "../../contracts/lib/accounts.ts";
import { freePort, waitFor } from "../../scripts/lib/ports.ts";
import { startApiOn } from "../harness/apiStack.ts";
import { evmIncreaseTime, evmMine } from "../harness/payments.ts";
import { type Stack, startStack } from "../harness/stack.ts";
import { expectAccessible } from "./lib/axe.ts";
import { screenshot, screenshots, waitForReceipt } from "./lib/checkoutPage.ts";
import { launchChromium } from "./lib/playwright.ts";
import { serveWeb, type WebServer } from "./lib/webServer.ts";

let stack: Stack;
let wallet: SandboxWallet;
let api: ApiHandle;
let web: WebServer;
let browser: Browser;
let secretKey: string;

beforeAll(async () => {
  const sandboxKey = `sbx_${randomBytes(12).toString("hex")}`;
  const sandboxSecret = `sbxwh_${randomBytes(12).toString("hex")}`;
  [stack, browser, wallet] = await Promise.all([
    startStack(),
    launchChromium(),
    startSandboxWallet({ apiKey: sandboxKey, webhookSecret: sandboxSecret }),
  ]);
  const adminKey = `admin_${randomBytes(16).toString("hex")}`;
  const webPort = await freePort();
  api = await startApiOn(stack, {
    PIER_ADMIN_KEY: adminKey,
    PIER_LOG_LEVEL: "warn",
    PIER_CHECKOUT_BASE_URL: `http://127.0.0.1:${webPort}`,
    PIER_RATE_LIMIT_MAX: "10000",
    PIER_KEEPER_INTERVAL_MS: "500",
    PIER_SANDBOX_URL: wallet.url,
    PIER_SANDBOX_API_KEY: sandboxKey,
    PIER_SANDBOX_WEBHOOK_SECRET: sandboxSecret,
  });
  wallet.setWebhookUrl(`${api.url}/v1/fiat/webhooks/sandbox`);
  web = await serveWeb({ dir: inject("webDir"), apiUrl: api.url });
  const res = await fetch(`${api.url}/v1/admin/merchants`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Harbor Coffee Roasters", payout_address: devAccount("merchant").address }),
  });
  secretKey = ((await res.json()) as { secret_key: string }).secret_key;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await api?.stop();
  await wallet?.close();
  await stack?.stop();
});

async function merchant(method: "GET" | "POST", path: string, body?: unknown) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown> & { status: string; id: string };
}

/**
 * Opens the checkout in a German browser (the page negotiates German from navigator.languages), picks EUR
 * and pays with the sandbox wallet, whose approval link carries the page's language (`lang=de`).
 */
async function payInEuros(orderId: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "de-DE" });
  const page = await context.newPage();
  await page.goto(`${web.url}/pay/${orderId}`);
  await page.getByRole("radio", { name: /^PayPal/ }).check();
  // Before the wallet is opened: how a wallet payer disputes (not from a crypto wallet).
  expect(await page.getByTestId("fiat-protection").textContent()).toContain(
    "Konflikt beim Anbieter Ihrer Wallet",
  );
  await page.getByLabel("Währung", { exact: true }).selectOption("EUR");
  const amount = page.getByTestId("fiat-amount");
  await amount.waitFor();
  expect(await amount.textContent()).toContain("€");
  await page.getByRole("button", { name: "Mit PayPal bezahlen" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${wallet.url}/pay/`), { waitUntil: "commit" });
  expect(new URL(page.url()).searchParams.get("lang")).toBe("de");
  await screenshot(page, "fiat-sandbox-approval");
  await page.getByTestId("sandbox-approve").click();
  await page.waitForURL((url) => url.href.startsWith(`${web.url}/pay/${orderId}`), { waitUntil: "commit" });
  await waitForReceipt(page);
  return { page, close: () => context.close() };
}

describe("checkout: fiat wallet", () => {
  test("default: pay in EUR from the sandbox wallet; a refund goes back to the wallet in EUR", async () => {
    const order = await merchant("POST", "/v1/orders", { amount: "25000000", description: "Espresso" });
    const { page, close } = await payInEuros(order.id);
    const paid = await merchant("GET", `/v1/orders/${order.id}`);
    const fiat = paid.fiat_payment as { currency: string; amount: string; session: string };
    expect(fiat.currency).toBe("EUR");
    expect((paid.payment as { refund_to: string }).refund_to).toBe(devAccount("bridge").address);
    // The receipt says first what the customer paid, in euros, by PayPal; then the escrow's side, with
    // Pier (not a treasury address) as the one who paid in; then how a PayPal payer disputes.
    const receipt = page.getByTestId("fiat-receipt");
    await receipt.waitFor();
    const [euros, cents] = fiat.amount.split(".");
    expect(await page.getByTestId("fiat-receipt-amount").textContent()).toMatch(
      new RegExp(`^${euros},${cents}\\s€$`),
    );
    expect(await page.getByTestId("fiat-receipt-method").textContent()).toMatch(/^Bezahlt mit PayPal am /);
    expect(await page.getByTestId("receipt-payer").textContent()).not.toContain("0x");
    expect(await page.getByTestId("receipt-amount").textContent()).toBe("25,00 tUSDC");
    expect(await page.getByTestId("fiat-dispute").textContent()).toContain("PayPal-Konfliktlösungszentrum");
    const order2 = (await (await fetch(`${api.url}/v1/checkout/${order.id}`)).json()) as {
      fiat_payment: Record<string, unknown>;
    };
    expect(order2.fiat_payment).toMatchObject({ amount: fiat.amount, currency: "EUR", wallet: "paypal" });
    expect(JSON.stringify(order2.fiat_payment)).not.toContain(fiat.session);
    await expectAccessible(page, "fiat receipt");
    await screenshots(page, "checkout-fiat-receipt");

    const refund = await merchant("POST", "/v1/refunds", { order: order.id });
    expect(refund.status).toBe("pending");
    await waitForReceipt(page, "refunded");
    const sandboxRefund = await waitFor(
      "the sandbox refund",
      async () => wallet.events.find((e) => e.type === "refund.succeeded"),
      { timeoutMs: 60_000 },
    );
    const refunded = sandboxRefund.data.object as { amount: { value: string; currency: string } };
    expect(refunded.amount).toEqual({ value: fiat.amount, currency: "EUR" });
    const sessions = await waitFor(
      "the fiat session refunded",
      async () => {
        const list = (await merchant("GET", `/v1/fiat_sessions?order=${order.id}`)) as unknown as {
          data: { status: string; amount: string; currency: string }[];
        };
        return list.data[0]?.status === "refunded" && list.data;
      },
      { timeoutMs: 30_000 },
    );
    expect(sessions[0]).toMatchObject({ amount: fiat.amount, currency: "EUR" });
    await close();
  });

  test("behavior: a fiat-paid order settles after the buyer-protection window", async () => {
    const order = await merchant("POST", "/v1/orders", { amount: "12000000", escrow_period: 60 });
    const { page, close } = await payInEuros(order.id);
    await evmIncreaseTime(stack.chain.rpcUrl, 61);
    await evmMine(stack.chain.rpcUrl);
    await waitForReceipt(page, "settled");
    expect((await merchant("GET", `/v1/orders/${order.id}`)).status).toBe("settled");
    await close();
  });
});

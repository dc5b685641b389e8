/**
 * The merchant dashboard in headless Chromium against the real stack: Sign-In with Ethereum by the owner
 * wallet (dev `merchant` key, injected through EIP-6963), a passkey registered with Chromium's virtual
 * authenticator, a partial refund of an escrowed order that the API only accepts after a passkey
 * step-up, the timeline and analytics catching up, and the Developers page: API keys created, rolled and
 * revoked, a webhook endpoint created and its secret rotated, and Subscriptions: a plan made in the page,
 * a charged subscription in the MRR table, a failed charge listed; a one-time sign-in link. Every page
 * and dialog it shows is checked with axe-core (no serious or critical violations). One stack and one
 * page for the file.
 */
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { erc20Abi, type Hex, type LocalAccount, maxUint256 } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { account } from "../harness/payments.ts";
import { authorizeSubscription } from "../harness/subscriptions.ts";
import { expectAccessible } from "./lib/axe.ts";
import { screenshot } from "./lib/checkoutPage.ts";
import { type OpenedDashboard, openDashboard, signInWithWallet } from "./lib/dashboardPage.ts";
import { type DashboardStack, startDashboardStack } from "./lib/dashboardStack.ts";
import { launchChromium } from "./lib/playwright.ts";

let ds: DashboardStack;
let browser: Browser;
let d: OpenedDashboard;

beforeAll(async () => {
  [ds, browser] = await Promise.all([startDashboardStack({ webDir: inject("webDir") }), launchChromium()]);
});

afterAll(async () => {
  await d?.close();
  await browser?.close();
  await ds?.stop();
});

const sql = (text: string, params: unknown[] = []) => ds.stack.db.query(text, params);

/**
 * The UTC day the indexer files an on-chain event under: its block's day, not the wall clock's, so a run
 * that crosses midnight between paying and refunding still finds each amount on its own row.
 */
const utcDay = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().slice(0, 10);
async function blockDayOf(hash: Hex): Promise<string> {
  const { publicClient } = ds.stack.pay;
  const { blockNumber } = await publicClient.getTransactionReceipt({ hash });
  return utcDay(Number((await publicClient.getBlock({ blockNumber })).timestamp));
}
/** Analytics' row of one UTC day. */
const dailyRow = (page: Page, day: string) => page.locator(`[data-testid="daily-row"][data-day="${day}"]`);
/**
 * Waits until the page's own clock has reached `day`: the page shows days up to its today, and a local
 * chain that mines faster than a block a second runs its timestamps ahead of the wall clock, so just
 * before midnight a payment can be filed under a day the page has not reached yet (a stack's setup puts
 * its chain about 60 s ahead).
 */
async function pageReaches(page: Page, day: string): Promise<void> {
  await page.waitForFunction((d) => new Date().toISOString().slice(0, 10) >= d, day, { timeout: 90_000 });
}
/** The day the first test's order was paid on: its volume's row in analytics. */
let grinderPaidDay: string;

describe("dashboard", () => {
  test("default: sign in with the owner wallet, add a passkey, refund part of an escrowed order after a passkey step-up, release the rest early", {
    timeout: 240_000,
  }, async () => {
    const order = await ds.escrowedOrder("Espresso grinder");
    d = await openDashboard(browser, ds);
    const { page } = d;
    await page.getByRole("heading", { name: "Merchant dashboard" }).waitFor();
    await screenshot(page, "dashboard-sign-in");
    await expectAccessible(page, "dashboard-sign-in");
    await signInWithWallet(page);
    expect(await page.getByTestId("merchant-name").textContent()).toBe("Harbor Coffee Roasters");
    expect(d.wallet.prompts().map((p) => p.method)).toEqual(["personal_sign"]);
    const signed = Buffer.from((d.wallet.prompts()[0]!.params[0] as string).slice(2), "hex").toString();
    expect(signed).toContain(
      `${new URL(ds.dashboardOrigin).host} wants you to sign in with your Ethereum account:`,
    );
    const cookies = await d.context.cookies(`${ds.dashboardOrigin}/v1/orders`);
    expect(cookies.find((c) => c.name === "pier_session")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
    });

    const row = page.locator(`[data-testid="order-row"][data-order="${order.id}"]`);
    await row.locator('[data-status="escrowed"]').waitFor();
    await screenshot(page, "dashboard-orders");
    await expectAccessible(page, "dashboard-orders");
    const phoneWide = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await phoneWide()).toBe(true);

    // Security: register a passkey with the virtual authenticator.
    await page.getByRole("link", { name: "Security" }).click();
    await page.getByLabel("Passkey name").fill("Test laptop");
    await page.getByTestId("add-passkey").click();
    await page.getByTestId("passkey").filter({ hasText: "Test laptop" }).waitFor();
    const { credentials } = await d.cdp.send("WebAuthn.getCredentials", {
      authenticatorId: d.authenticatorId,
    });
    expect(credentials).toHaveLength(1);
    const stored = await sql("SELECT id, merchant_id FROM pier_api.passkeys");
    expect(stored.rows).toEqual([
      {
        id: Buffer.from(credentials[0]!.credentialId, "base64").toString("base64url"),
        merchant_id: ds.merchantId,
      },
    ]);
    await screenshot(page, "dashboard-security");
    await expectAccessible(page, "dashboard-security");

    // Registering counted as a step-up; make it old so the refund must ask for the passkey again.
    await sql("UPDATE pier_api.dashboard_sessions SET step_up_at = now() - interval '10 minutes'");
    await page.getByRole("link", { name: "Orders" }).click();
    await page.locator(`[data-testid="order-row"][data-order="${order.id}"] a`).click();
    await page.getByRole("heading", { name: "Espresso grinder" }).waitFor();
    await page.locator('[data-testid="timeline-event"][data-type="order.escrowed"]').waitFor();
    await page.getByRole("button", { name: "Refund…" }).click();
    const amount = page.getByTestId("refund-amount");
    expect(await amount.inputValue()).toBe("10");
    await amount.fill("12");
    await page.getByText("At most 10.00 can be refunded.").waitFor();
    await amount.fill("2.5");
    await screenshot(page, "dashboard-refund-confirm");
    await expectAccessible(page, "dashboard-refund-confirm");
    await page.getByTestId("confirm-button").click();
    await page.locator("dialog[open]").waitFor({ state: "detached" });

    await page
      .locator('[data-testid="timeline-event"][data-type="order.partially_refunded"]')
      .waitFor({ timeout: 60_000 });
    await page.getByTestId("order-refunded").filter({ hasText: "2.50 tUSDC" }).waitFor();
    await screenshot(page, "dashboard-order-refunded");
    await expectAccessible(page, "dashboard-order-refunded");
    expect(await phoneWide()).toBe(true);
    const refunds = await sql("SELECT amount::text, order_id, tx_hash FROM pier_api.refunds");
    expect(refunds.rows).toEqual([{ amount: "2500000", order_id: order.id, tx_hash: expect.any(String) }]);
    const used = await sql("SELECT last_used_at FROM pier_api.passkeys");
    expect(used.rows[0].last_used_at).not.toBeNull();
    const got = await ds.call("GET", `/v1/orders/${order.id}`);
    expect(got.body).toMatchObject({ status: "escrowed", amount_refunded: "2500000" });

    // Analytics: the day's volume and refunds from the indexer's aggregates.
    grinderPaidDay = utcDay(got.body.payment.paid_at);
    const refundDay = await blockDayOf(refunds.rows[0].tx_hash);
    await pageReaches(page, refundDay);
    await page.getByRole("link", { name: "Analytics" }).click();
    await dailyRow(page, refundDay).locator('[data-testid="daily-refunds"]', { hasText: "2.50" }).waitFor();
    expect(await dailyRow(page, grinderPaidDay).getByTestId("daily-volume").textContent()).toBe("10.00");
    expect(await page.locator(".chart canvas").count()).toBe(4);
    await screenshot(page, "dashboard-analytics");
    await expectAccessible(page, "dashboard-analytics");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("export-orders").click(),
    ]);
    const csv = (await readFile((await download.path())!, "utf8")).split("\r\n");
    expect(csv[0]).toBe(
      "id,created,status,description,currency,amount,refunded,released,fee,payer,payment_tx,release_tx",
    );
    expect(csv[1]).toMatch(
      new RegExp(`^${order.id},[^,]+,escrowed,Espresso grinder,tUSDC,10,2\\.5,0,0\\.1,0x`),
    );

    // Early release of the rest, confirmed; the step-up from the refund is still fresh.
    await page.getByRole("link", { name: "Orders" }).click();
    await page.locator(`[data-testid="order-row"][data-order="${order.id}"] a`).click();
    await page.getByRole("button", { name: "Release now…" }).click();
    await page.getByTestId("confirm-button").click();
    await page
      .locator('[data-testid="timeline-event"][data-type="order.settled"]')
      .waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="order-status"][data-status="settled"]').waitFor();
    expect(await page.getByRole("button", { name: "Refund…" }).count()).toBe(0);
    const settled = await ds.call("GET", `/v1/orders/${order.id}`);
    expect(settled.body).toMatchObject({ status: "settled", amount_refunded: "2500000" });
    expect(settled.body.payment.released_early).toBe(true);
    expect(d.pageErrors).toEqual([]);
  });

  test("behavior: analytics per token: an 18-decimal DAI-like order beside the 6-decimal tUSDC, each in its own decimals", {
    timeout: 180_000,
  }, async () => {
    const { page } = d;
    const decafOrder = await ds.escrowedOrder("Decaf beans", {
      amount: "5000000000000000000",
      token: ds.stack.deployment.contracts.DaiLike!.address,
    });
    const decafPaidDay = utcDay((await ds.call("GET", `/v1/orders/${decafOrder.id}`)).body.payment.paid_at);
    await pageReaches(page, decafPaidDay);
    await page.getByRole("link", { name: "Analytics" }).click();
    const dailyVolume = (day: string) => dailyRow(page, day).getByTestId("daily-volume");
    const token = page.getByTestId("analytics-token");
    await token.waitFor({ timeout: 30_000 });
    await token.selectOption({ label: "DAI" });
    await dailyVolume(decafPaidDay).filter({ hasText: "5.00" }).waitFor();
    expect(await dailyVolume(decafPaidDay).textContent()).toBe("5.00");
    await token.selectOption({ label: "tUSDC" });
    await dailyVolume(grinderPaidDay).filter({ hasText: "10.00" }).waitFor();
    expect(await dailyVolume(grinderPaidDay).textContent()).toBe("10.00");
    await screenshot(page, "dashboard-analytics-per-token");
    await expectAccessible(page, "dashboard-analytics-per-token");

    // The orders table filtered to one token on the network, then to the other: the DAI order only
    // under DAI, every row in the token chosen.
    await page.getByRole("link", { name: "Orders" }).click();
    const paidIn = page.getByLabel("Paid in");
    const chainId = ds.stack.chain.chainId;
    const rows = page.getByTestId("order-row");
    const decaf = rows.filter({ hasText: "Decaf beans" });
    await paidIn.selectOption(`${chainId}:${ds.stack.deployment.contracts.DaiLike!.address.toLowerCase()}`);
    await decaf.waitFor();
    // Rows shown and every one in the token: while a filtered list loads the table can be empty, and an
    // empty list passes `every`.
    const onlyRowsIn = (symbol: string) =>
      page.waitForFunction((s) => {
        const shown = Array.from(document.querySelectorAll('[data-testid="order-row"]'));
        return shown.length > 0 && shown.every((r) => r.textContent?.includes(s));
      }, symbol);
    await onlyRowsIn("DAI");
    await paidIn.selectOption(
      `${chainId}:${ds.stack.deployment.contracts.TestStablecoin!.address.toLowerCase()}`,
    );
    await decaf.waitFor({ state: "detached" });
    await onlyRowsIn("tUSDC");
    await paidIn.selectOption("");
    await decaf.waitFor();
    expect(d.pageErrors).toEqual([]);
  });

  test("behavior: Developers: create, roll and revoke an API key (secrets shown once); create a webhook endpoint and rotate its secret", {
    timeout: 150_000,
  }, async () => {
    const { page } = d;
    await page.getByRole("link", { name: "Developers" }).click();
    await page.getByLabel("Key name").fill("CI deploy");
    await page.getByRole("button", { name: "Create key" }).click();
    const first = (await page.getByTestId("secret-value").textContent())!;
    expect(first).toMatch(/^sk_test_[0-9A-Za-z]{40}$/);
    expect((await ds.call("GET", "/v1/merchant", undefined, first)).status).toBe(200);
    await page.getByRole("button", { name: "I stored it" }).click();

    const keyRow = page
      .getByTestId("api-key")
      .filter({ hasText: "CI deploy" })
      .filter({ hasText: first.slice(0, 8) });
    await keyRow.getByRole("button", { name: "Roll…" }).first().click();
    await page.getByTestId("confirm-button").click();
    await page.getByTestId("secret-value").filter({ hasNotText: first }).waitFor();
    const rolled = (await page.getByTestId("secret-value").textContent())!;
    expect(rolled).toMatch(/^sk_test_/);
    const old = await ds.call("GET", "/v1/merchant", undefined, first);
    expect(old.status).toBe(401);
    expect((await ds.call("GET", "/v1/merchant", undefined, rolled)).status).toBe(200);
    await page.getByRole("button", { name: "I stored it" }).click();

    const rolledId = (await ds.call("GET", "/v1/keys?limit=100")).body.data.find(
      (k: { redacted: string }) => k.redacted === `${rolled.slice(0, 8)}...${rolled.slice(-4)}`,
    ).id;
    await page
      .locator(`[data-testid="api-key"][data-key="${rolledId}"]`)
      .getByRole("button", { name: "Revoke…" })
      .click();
    await page.getByTestId("confirm-button").click();
    await page.locator(`[data-testid="api-key"][data-key="${rolledId}"][data-revoked="true"]`).waitFor();
    const revoked = await ds.call("GET", "/v1/merchant", undefined, rolled);
    expect(revoked.body.error.code).toBe("api_key_revoked");

    await page.getByLabel("Endpoint URL").fill("http://127.0.0.1:9/pier-hooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const whsec = (await page.getByTestId("secret-value").textContent())!;
    expect(whsec.length).toBeGreaterThan(20);
    await page.getByRole("button", { name: "I stored it" }).click();
    const endpoint = page
      .getByTestId("webhook-endpoint")
      .filter({ hasText: "http://127.0.0.1:9/pier-hooks" });
    await endpoint.getByRole("button", { name: "Rotate secret…" }).click();
    await page.getByTestId("confirm-button").click();
    await page.getByTestId("secret-value").filter({ hasNotText: whsec }).waitFor();
    const listed = await ds.call("GET", "/v1/webhook_endpoints");
    expect(listed.body.data).toEqual([
      expect.objectContaining({ url: "http://127.0.0.1:9/pier-hooks", enabled_events: ["*"] }),
    ]);
    await screenshot(page, "dashboard-developers");
    await expectAccessible(page, "dashboard-developers");
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(d.pageErrors).toEqual([]);
  });

  test("behavior: Subscriptions: a plan created in the page, its subscription link shared; a paying subscription in MRR, a failed charge listed", {
    timeout: 120_000,
  }, async () => {
    const { page } = d;
    await page.getByRole("link", { name: "Subscriptions" }).click();
    await page.getByLabel("Amount").fill("10");
    await page.getByLabel("Description").fill("Coffee club");
    await page.getByRole("button", { name: "Create plan" }).click();
    const plan = page.getByTestId("plans").locator("li", { hasText: "Coffee club" });
    await plan.getByText("10.00 USD every month").waitFor();
    await plan.getByRole("button", { name: "New subscription" }).click();
    const link = page.getByTestId("subscription-link").getByRole("link");
    await link.waitFor();
    const url = (await link.getAttribute("href"))!;
    expect(url).toMatch(new RegExp(`^${ds.dashboardOrigin}/s/sub_[0-9A-Za-z]{24}$`));
    const paying = url.slice(url.lastIndexOf("/") + 1);

    // Two customers authorize (what the hosted page does): one has allowed the token and pays, the other
    // has not, so its first charge fails and waits for a retry.
    const token = ds.stack.deployment.contracts.TestStablecoin!.address;
    await ds.stack.pay.send("customer2", {
      address: token,
      abi: erc20Abi,
      functionName: "approve",
      args: [ds.stack.deployment.contracts.SpendPermissions!.address, maxUint256],
    });
    const planId = (await ds.call("GET", "/v1/plans")).body.data[0].id;
    const failing = (await ds.call("POST", "/v1/subscriptions", { plan: planId })).body.id as string;
    const post = (path: string, body: unknown) => ds.call("POST", path, body);
    const authorize = (id: string, payer: LocalAccount) =>
      authorizeSubscription(post, id, payer, token, ds.stack.chain.chainId);
    await authorize(paying, account("customer2"));
    await authorize(failing, privateKeyToAccount(generatePrivateKey()));

    const failed = page.getByTestId("failed-charges").locator("li", { hasText: failing });
    await failed.waitFor({ timeout: 30_000 });
    expect(await failed.textContent()).toMatch(
      /failed.*cycle 1 · 10.*ERC20InsufficientAllowance.*retry \d{4}-\d{2}-\d{2}/,
    );
    const customers = page.getByTestId("subscriptions");
    await customers.locator("li", { hasText: paying }).getByText("active").waitFor({ timeout: 30_000 });
    await customers.locator("li", { hasText: failing }).getByText("past_due").waitFor();
    const month = page.getByTestId("metrics-table").locator("tbody tr").last();
    // The figures refresh every 10 s.
    await month.getByRole("cell", { name: "10.00" }).waitFor({ timeout: 25_000 });
    expect(await month.locator("td").first().textContent()).toBe("1"); // paying at the month's end
    await screenshot(page, "dashboard-subscriptions");
    await expectAccessible(page, "dashboard-subscriptions");
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(d.pageErrors).toEqual([]);
  });

  test("error: without a session the merchant routes refuse the page, and sign-out ends the session", async () => {
    const { page, context } = d;
    await page.getByRole("button", { name: "Sign out" }).click();
    await page
      .getByTestId("siwe-button")
      .or(page.getByRole("button", { name: "Pier Test Wallet" }))
      .first()
      .waitFor();
    const ended = await sql(
      "SELECT count(*)::int AS n FROM pier_api.dashboard_sessions WHERE revoked_at IS NULL",
    );
    expect(ended.rows[0].n).toBe(0);
    expect(
      (await context.cookies(`${ds.dashboardOrigin}/v1/orders`)).find((c) => c.name === "pier_session"),
    ).toBeUndefined();
    const res = await page.evaluate(async () => (await fetch("/v1/orders")).json());
    expect(res.error.code).toBe("api_key_missing");
  });

  test("behavior: a one-time sign-in link (pier dashboard) opens the signed-in dashboard without a wallet; a second use is refused", async () => {
    const minted = await ds.call("POST", "/v1/admin/dashboard_sign_in_links", {}, ds.adminKey);
    expect(minted.status, JSON.stringify(minted.body)).toBe(200);
    expect(minted.body.url).toBe(`${ds.dashboardOrigin}/dashboard/sign-in?token=${minted.body.token}`);
    // A fresh browser: no wallet, no cookie.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-US" });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(minted.body.url);
      await page.getByTestId("merchant-name").waitFor();
      expect(await page.getByTestId("merchant-name").textContent()).toBe("Harbor Coffee Roasters");
      await page.getByRole("heading", { name: "Orders" }).waitFor();
      expect(page.url()).toBe(`${ds.dashboardOrigin}/dashboard`);
      expect((await context.cookies(`${ds.dashboardOrigin}/v1/orders`)).map((c) => c.name)).toContain(
        "pier_session",
      );
      // Spent: opening it again (another tab, or a forwarded link) signs nobody in.
      const second = await context.newPage();
      await context.clearCookies();
      await second.goto(minted.body.url);
      await second.getByRole("alert").filter({ hasText: "already used" }).waitFor();
      expect(await second.getByTestId("merchant-name").count()).toBe(0);
      await second.getByRole("link", { name: "Sign in with your wallet" }).waitFor();
      await expectAccessible(second, "dashboard-sign-in-link-used");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

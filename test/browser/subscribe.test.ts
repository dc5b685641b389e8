/**
 * Subscribing from the hosted page (/s/:id) in headless Chromium with the injected test wallet, against
 * the real stack. The default test is issue 19's whole story: the customer allows the token and signs the
 * spend permission, the API's scheduler charges the first cycle at once and the next ones as time travels
 * a month at a time; one fails for lack of funds and is paid by its retry a day later; the customer
 * revokes the permission from the page, the next charge is refused on chain and the subscription ends;
 * every webhook arrives once. Also: a rejected signature is explained and retried without approving
 * again, trials, existing allowances, canceled and unknown subscriptions.
 */
import type { Browser } from "playwright-core";
import { type Address, decodeFunctionData, getAddress, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { spendPermissionsAbi, testStablecoinAbi } from "../../contracts/generated/abis.ts";
import { waitFor } from "../../scripts/lib/ports.ts";
import { account, evmIncreaseTime, evmMine } from "../harness/payments.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../harness/webhookReceiver.ts";
import { expectAccessible } from "./lib/axe.ts";
import { openPage, screenshot } from "./lib/checkoutPage.ts";
import { type CheckoutStack, startCheckoutStack } from "./lib/checkoutStack.ts";
import { launchChromium } from "./lib/playwright.ts";

let cs: CheckoutStack;
let browser: Browser;
let planId: string;
let receiver: WebhookReceiver;

beforeAll(async () => {
  [cs, browser] = await Promise.all([
    // The scheduler looks for due cycles every 200 ms: the first charge follows the signature at once.
    startCheckoutStack({ webDir: inject("webDir"), env: { PIER_KEEPER_INTERVAL_MS: "200" } }),
    launchChromium(),
  ]);
  receiver = await startWebhookReceiver();
  await cs.merchant("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] });
  planId = (
    await cs.merchant<{ id: string }>("/v1/plans", {
      amount: "10",
      currency: "USD",
      interval: "month",
      description: "Coffee club: 1 kg a month",
    })
  ).id;
});

afterAll(async () => {
  await receiver?.close();
  await browser?.close();
  await cs?.stop();
});

interface SubscriptionJson {
  id: string;
  status: string;
  payer: Address | null;
  permission: { hash: Hex } | null;
}

/** Sets `role`'s token allowance for SpendPermissions, whatever earlier tests left. */
async function setAllowance(role: "customer" | "customer2", amount: bigint) {
  await cs.stack.pay.send(role, {
    address: cs.stack.deployment.contracts.TestStablecoin!.address,
    abi: testStablecoinAbi,
    functionName: "approve",
    args: [cs.stack.deployment.contracts.SpendPermissions!.address, amount],
  });
}

const newSubscription = () => cs.merchant<SubscriptionJson>("/v1/subscriptions", { plan: planId });

interface InvoiceJson {
  cycle: number;
  status: string;
  attempts: number;
  amount: string;
  next_attempt_at: number | null;
  last_error: { code: string } | null;
}

/** Polls the subscription's invoices until cycle `cycle`'s has `status`. */
async function waitForInvoice(id: string, cycle: number, status: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { data } = await cs.merchant<{ data: InvoiceJson[] }>(`/v1/subscriptions/${id}/invoices`);
    const found = data.find((i) => i.cycle === cycle && i.status === status);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(
        `no ${status} invoice for cycle ${cycle} after ${timeoutMs} ms: ${JSON.stringify(data)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Moves chain time just past `unix` and mines a block there: the next cycle (or retry) is due. */
async function travelTo(unix: number) {
  const now = Number(await cs.stack.pay.chainTime());
  if (unix >= now) await evmIncreaseTime(cs.stack.chain.rpcUrl, unix - now + 1);
  await evmMine(cs.stack.chain.rpcUrl);
}

const nextChargeAt = async (id: string) =>
  (await cs.merchant<{ next_charge_at: number }>(`/v1/subscriptions/${id}`)).next_charge_at;

/** Polls the subscription's invoices until one is `paid` (the scheduler's first charge). */
async function waitForPaidInvoice(id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { data } = await cs.merchant<{ data: { status: string; amount: string; last_error: unknown }[] }>(
      `/v1/subscriptions/${id}/invoices`,
    );
    const paid = data.find((i) => i.status === "paid");
    if (paid) return paid;
    if (Date.now() > deadline)
      throw new Error(`no paid invoice after ${timeoutMs} ms: ${JSON.stringify(data)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("subscribe page", () => {
  test("default: subscribe in the page; monthly cycles by time travel, one failing for lack of funds and paid by its retry; revoke in the page, the next charge refused on chain, the subscription ended; every webhook once", {
    timeout: 120_000,
  }, async () => {
    const sub = await newSubscription();
    const { page, wallet, pageErrors, scripts, close } = await openPage(browser, cs, cs.subscribeUrl(sub.id));
    await page.getByText(cs.merchantName).first().waitFor();
    await page.getByText("Coffee club: 1 kg a month").waitFor();
    expect(await page.getByTestId("price").textContent()).toBe("10.00 USD every month");
    expect(await page.getByTestId("permission-words").textContent()).toMatch(
      /^You allow Harbor Coffee Roasters to charge at most 10\.00 tUSDC per 28 days until about .+\. You can cancel at any time from your wallet, even without us\.$/,
    );

    await page.getByRole("button", { name: "Pier Test Wallet" }).click();
    // Connected: the sentence now names the exact end of the permission the API built.
    await page
      .getByTestId("permission-words")
      .getByText(/until (?!about)/)
      .waitFor();
    await screenshot(page, "subscribe-ready");
    await page.getByTestId("subscribe-button").click();
    await page.getByTestId("subscribed").waitFor();
    await screenshot(page, "subscribe-subscribed");

    const prompts = wallet.prompts();
    expect(prompts.map((p) => `${p.method}:${p.outcome}`)).toEqual([
      "eth_sendTransaction:ok",
      "eth_signTypedData_v4:ok",
    ]);
    const spendPermissions = cs.stack.deployment.contracts.SpendPermissions!.address;
    const approve = decodeFunctionData({
      abi: testStablecoinAbi,
      data: (prompts[0]!.params[0] as { data: Hex }).data,
    });
    // Twelve charges' worth, so the next charges need no new approval.
    expect(approve).toEqual({ functionName: "approve", args: [spendPermissions, 120_000_000n] });
    const typed = JSON.parse(prompts[1]!.params[1] as string);
    expect(typed.primaryType).toBe("SpendPermission");
    expect(String(typed.message.allowance)).toBe("10000000");
    expect(getAddress(typed.message.account)).toBe(wallet.address);

    const authorized = await cs.merchant<SubscriptionJson>(`/v1/subscriptions/${sub.id}`);
    expect(authorized.status).toBe("active");
    expect(authorized.payer).toBe(wallet.address);
    expect(await page.getByTestId("payer").textContent()).toBe(wallet.address);
    expect(await page.getByTestId("cap").textContent()).toMatch(/^10\.00 tUSDC per 28 days, until .+$/);
    await page.getByTestId("next-charge").waitFor();
    const invoice = await waitForPaidInvoice(sub.id);
    expect(invoice.amount).toBe("10000000");

    // A month later the second cycle; then the customer's wallet is empty for the third, which fails
    // (past_due) until its retry a day later, after a top-up.
    await travelTo(await nextChargeAt(sub.id));
    await waitForInvoice(sub.id, 1, "paid");
    const token = cs.stack.deployment.contracts.TestStablecoin!.address;
    const held = await cs.stack.pay.balanceOf(wallet.address);
    const move = (from: "customer" | "customer2", to: Address) =>
      cs.stack.pay.send(from, {
        address: token,
        abi: testStablecoinAbi,
        functionName: "transfer",
        args: [to, held],
      });
    await move("customer", account("customer2").address);
    await travelTo(await nextChargeAt(sub.id));
    const failed = await waitForInvoice(sub.id, 2, "failed");
    expect(failed.last_error?.code).toMatch(/InsufficientBalance/);
    expect((await cs.merchant<SubscriptionJson>(`/v1/subscriptions/${sub.id}`)).status).toBe("past_due");
    await move("customer2", wallet.address);
    await travelTo(failed.next_attempt_at!);
    expect((await waitForInvoice(sub.id, 2, "paid")).attempts).toBe(2);
    expect(held - (await cs.stack.pay.balanceOf(wallet.address))).toBe(10_000_000n);

    await page.getByRole("button", { name: "Revoke permission" }).click();
    await page.getByTestId("revoked").waitFor();
    await screenshot(page, "subscribe-revoked");
    expect(wallet.prompts().map((p) => p.method)).toEqual([
      "eth_sendTransaction",
      "eth_signTypedData_v4",
      "eth_sendTransaction",
    ]);
    const state = await cs.stack.pay.publicClient.readContract({
      address: spendPermissions,
      abi: spendPermissionsAbi,
      functionName: "permissionState",
      args: [authorized.permission!.hash],
    });
    expect(state.revoked).toBe(true);

    // The next cycle is refused on chain (PermissionRevoked): the subscription ends, nothing is taken.
    const before = await cs.stack.pay.balanceOf(wallet.address);
    await travelTo(await nextChargeAt(sub.id));
    expect((await waitForInvoice(sub.id, 3, "uncollectible")).last_error?.code).toBe("PermissionRevoked");
    expect(await cs.merchant(`/v1/subscriptions/${sub.id}`)).toMatchObject({
      status: "ended",
      end_reason: "permission_revoked",
      cycles_charged: 3,
    });
    expect(await cs.stack.pay.balanceOf(wallet.address)).toBe(before);

    // Every webhook once: 3 invoices paid, 2 failures (lack of funds, revoked), each status change.
    const ofThis = (type: string) =>
      receiver.received
        .map((r) => r.body)
        .filter(
          (b) => b?.type === type && (b.data.object.id === sub.id || b.data.object.subscription === sub.id),
        );
    await waitFor("subscription.ended delivered", async () => ofThis("subscription.ended").length > 0);
    const ids = receiver.received.map((r) => r.body?.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ofThis("invoice.paid")).toHaveLength(3);
    expect(ofThis("invoice.payment_failed").map((e) => e.data.object.last_error.code)).toEqual([
      expect.stringMatching(/InsufficientBalance/),
      "PermissionRevoked",
    ]);
    expect(ofThis("subscription.activated")).toHaveLength(1);
    expect(ofThis("subscription.updated").map((e) => e.data.object.status)).toEqual(["past_due", "active"]);
    expect(ofThis("subscription.ended")).toHaveLength(1);
    expect(pageErrors).toEqual([]);
    expect(scripts.some((path) => path.includes("SubscribePage"))).toBe(true);
    expect(scripts.filter((path) => path.includes("Dashboard") || path.includes("CheckoutPage"))).toEqual([]);
    await close();
  });

  test("behavior: a trial plan with cycles, from the wrong network: switch, approve every cycle, trialing", async () => {
    const plan = await cs.merchant<{ id: string }>("/v1/plans", {
      amount: "10",
      currency: "USD",
      interval: "month",
      trial_days: 7,
      cycles: 3,
    });
    const sub = await cs.merchant<SubscriptionJson>("/v1/subscriptions", { plan: plan.id });
    const spendPermissions = cs.stack.deployment.contracts.SpendPermissions!.address;
    await setAllowance("customer", 0n);
    const { page, wallet, close } = await openPage(browser, cs, cs.subscribeUrl(sub.id), { startChainId: 1 });
    expect(await page.getByTestId("trial").textContent()).toBe("first charge after 7 days");
    expect(await page.getByTestId("cycles").textContent()).toBe("3 in all, then it ends");

    await page.getByRole("button", { name: "Pier Test Wallet" }).click();
    await page.getByRole("heading", { name: "Wrong network" }).waitFor();
    expect(await page.getByTestId("subscribe-button").count()).toBe(0);
    const checkout = await (await fetch(`${cs.api.url}/v1/checkout/subscriptions/${sub.id}`)).json();
    const networkName = checkout.options[0].network_name as string;
    expect(await page.getByTestId("network-switch").textContent()).toContain(
      `This subscription is paid on ${networkName}`,
    );
    await page.getByRole("button", { name: `Switch to ${networkName}` }).click();
    await page.getByTestId("subscribe-button").click();
    await page.getByTestId("subscribed").waitFor();
    expect(await page.getByTestId("status").textContent()).toBe("in its free trial");

    const prompts = wallet.prompts();
    expect(prompts.map((p) => p.method)).toEqual([
      "wallet_switchEthereumChain",
      "eth_sendTransaction",
      "eth_signTypedData_v4",
    ]);
    const approve = decodeFunctionData({
      abi: testStablecoinAbi,
      data: (prompts[1]!.params[0] as { data: Hex }).data,
    });
    // Every cycle of the plan, and no more.
    expect(approve.args).toEqual([spendPermissions, 30_000_000n]);
    expect((await cs.merchant<SubscriptionJson>(`/v1/subscriptions/${sub.id}`)).status).toBe("trialing");
    await close();
  });

  test("behavior: an allowance that already covers one charge skips the approval: one signature", async () => {
    const sub = await newSubscription();
    await setAllowance("customer2", 10_000_000n);
    const { page, wallet, close } = await openPage(browser, cs, cs.subscribeUrl(sub.id), {
      role: "customer2",
    });
    await page.getByRole("button", { name: "Pier Test Wallet" }).click();
    await page.getByTestId("subscribe-button").click();
    await page.getByTestId("subscribed").waitFor();
    expect(wallet.prompts().map((p) => p.method)).toEqual(["eth_signTypedData_v4"]);
    await close();
  });

  test("error: a rejected signature is explained, nothing is authorized, and Try again signs without a new approval", async () => {
    const sub = await newSubscription();
    await setAllowance("customer2", 0n);
    const { page, wallet, close } = await openPage(browser, cs, cs.subscribeUrl(sub.id), {
      role: "customer2",
      rejectSignatures: 1,
    });
    await page.getByRole("button", { name: "Pier Test Wallet" }).click();
    await page.getByTestId("subscribe-button").click();
    const error = page.getByTestId("subscribe-error");
    await error.waitFor();
    expect(await error.textContent()).toBe("You declined the request in your wallet. Nothing was sent.");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Try again");
    expect(await page.locator('[data-step="approve"]').getAttribute("data-state")).toBe("done");
    expect(await page.locator('[data-step="sign"]').getAttribute("data-state")).toBe("failed");
    await screenshot(page, "subscribe-signature-rejected");
    expect((await cs.merchant<SubscriptionJson>(`/v1/subscriptions/${sub.id}`)).status).toBe("incomplete");

    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByTestId("subscribed").waitFor();
    expect(wallet.prompts().map((p) => `${p.method}:${p.outcome}`)).toEqual([
      "eth_sendTransaction:ok",
      "eth_signTypedData_v4:rejected",
      "eth_signTypedData_v4:ok",
    ]);
    expect((await cs.merchant<SubscriptionJson>(`/v1/subscriptions/${sub.id}`)).payer).toBe(wallet.address);
    await close();
  });

  test("behavior: a canceled subscription says so, with nothing to sign", async () => {
    const sub = await newSubscription();
    await cs.merchant(`/v1/subscriptions/${sub.id}/cancel`, {});
    const { page, close } = await openPage(browser, cs, cs.subscribeUrl(sub.id));
    await page.getByRole("heading", { name: "This subscription was canceled" }).waitFor();
    expect(await page.getByTestId("subscription-over").textContent()).toContain(
      `${cs.merchantName} canceled it. Nothing more will be charged.`,
    );
    expect(await page.getByTestId("subscribe-button").count()).toBe(0);
    // The same page in Arabic (?lang=ar): translated, right to left, axe-clean.
    await page.goto(`${cs.subscribeUrl(sub.id)}?lang=ar`);
    await page.getByRole("heading", { name: "تم إلغاء هذا الاشتراك" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    await expectAccessible(page, "subscription canceled, ar");
    await close();
  });

  test("error: an unknown subscription says so", async () => {
    const { page, close } = await openPage(browser, cs, cs.subscribeUrl(`sub_${"a".repeat(24)}`));
    await page.getByRole("alert").getByText("We could not find this subscription.").waitFor();
    await close();
  });
});

/**
 * Paying an order from the hosted checkout in headless Chromium, with a test wallet injected into the
 * page, against the real stack: ERC-3009 and permit in two prompts, approve-then-pay for a wallet that
 * cannot sign typed data, retries after a rejected signature or transaction, and a wrong network.
 */
import type { Browser } from "playwright-core";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { termsDigest } from "../../contracts/lib/terms.ts";
import { type PaymentTermsJson, paymentTermsFromJson } from "../../contracts/lib/termsJson.ts";
import { evmMine, evmSetAutomine } from "../harness/payments.ts";
import { expectAccessible } from "./lib/axe.ts";
import {
  connectAndWaitForPay,
  openCheckout,
  screenshot,
  screenshots,
  waitForReceipt,
} from "./lib/checkoutPage.ts";
import { type CheckoutStack, startCheckoutStack } from "./lib/checkoutStack.ts";
import { launchChromium } from "./lib/playwright.ts";

let cs: CheckoutStack;
let browser: Browser;

beforeAll(async () => {
  [cs, browser] = await Promise.all([startCheckoutStack({ webDir: inject("webDir") }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await cs?.stop();
});

interface PaidCheckout {
  status: string;
  payment: { method: string; payer: Address; tx_hash: string } | null;
}

describe("checkout: paying", () => {
  test("default: ERC-3009 authorization, one signature and one transaction, then a receipt", async () => {
    const order = await cs.createOrder({ success_url: "https://shop.example/thanks" });
    const { page, wallet, pageErrors, scripts, close } = await openCheckout(browser, cs, order.id);
    await page.locator("#summary-title").getByText(cs.merchantName).waitFor();
    await page.getByText("1 kg espresso beans").waitFor();
    // Before anything is signed: the network (name, chain id), the token contract, the protection, the fee.
    const token = (order.token as { address: string }).address;
    expect(await page.getByTestId("summary-network").textContent()).toContain(
      `(chain id ${cs.stack.deployment.chainId})`,
    );
    const tokenText = await page.getByTestId("summary-token").textContent();
    expect(tokenText).toContain(`tUSDC ${token.slice(0, 6)}…${token.slice(-4)}`);
    expect(await page.getByTestId("summary-token").getByTestId("token-address").getAttribute("title")).toBe(
      token,
    );
    const protection = page.getByTestId("terms-protection");
    expect(await protection.getAttribute("data-escrow-period")).toBe(String(order.escrow_period));
    expect(await protection.textContent()).toContain(
      "open a dispute on this page, from the wallet that paid",
    );
    expect(await page.getByTestId("terms-fee").textContent()).toContain("You pay exactly 10.00 tUSDC");
    await expectAccessible(page, "unpaid");
    await screenshots(page, "checkout-unpaid");
    const before = await cs.stack.pay.balanceOf(wallet.address);

    await connectAndWaitForPay(page);
    expect(await page.getByTestId("pay-button").textContent()).toBe("Pay 10.00 tUSDC");
    await screenshot(page, "checkout-ready");
    // Blocks wait until mined by hand: the payment sits in the mempool, the page shows it confirming.
    const rpcUrl = cs.stack.chain.rpcUrl;
    await evmSetAutomine(rpcUrl, false);
    try {
      await page.getByTestId("pay-button").click();
      await page.getByRole("heading", { name: "Payment progress" }).waitFor({ state: "attached" });
      await screenshots(page, "checkout-paying");
      await page.locator('[data-step="confirm"][data-state="active"]').waitFor();
      await screenshots(page, "checkout-confirming");
      await expectAccessible(page, "paying (waiting for the network to confirm)");
    } finally {
      await evmSetAutomine(rpcUrl, true);
    }
    await evmMine(rpcUrl);
    await waitForReceipt(page);
    await page.getByRole("button", { name: "Stay on this page" }).click();
    await expectAccessible(page, "paid (receipt)");
    await screenshots(page, "checkout-paid");

    const prompts = wallet.prompts();
    expect(prompts.map((p) => p.method)).toEqual(["eth_signTypedData_v4", "eth_sendTransaction"]);
    const typed = JSON.parse(prompts[0]!.params[1] as string);
    const terms = paymentTermsFromJson(order.terms as PaymentTermsJson);
    expect(typed.primaryType).toBe("ReceiveWithAuthorization");
    expect(typed.message.nonce).toBe(termsDigest(cs.stack.deployment.chainId, cs.stack.pay.escrow, terms));

    const paid = (await cs.checkout(order.id)) as unknown as PaidCheckout;
    expect(paid.status).toBe("escrowed");
    expect(paid.payment?.method).toBe("authorization");
    expect(paid.payment?.payer).toBe(wallet.address);
    expect(before - (await cs.stack.pay.balanceOf(wallet.address))).toBe(terms.amount);
    expect(await page.getByTestId("tx-hash").last().getAttribute("data-hash")).toBe(paid.payment?.tx_hash);
    expect(await page.getByTestId("return-to-merchant").getAttribute("href")).toBe(
      "https://shop.example/thanks",
    );
    expect(pageErrors).toEqual([]);
    expect(scripts.some((path) => path.includes("CheckoutPage"))).toBe(true);
    expect(scripts.filter((path) => path.includes("Dashboard"))).toEqual([]);
    await close();
  });

  test("behavior: EIP-2612 permit when asked (?pay_method=permit), one signature and one transaction", async () => {
    const order = await cs.createOrder({ fiat_amount: "12.50", fiat_currency: "USD" });
    const { page, wallet, close } = await openCheckout(browser, cs, order.id, { query: "pay_method=permit" });
    await page.getByTestId("token-amount").waitFor();
    expect(await page.getByTestId("amount").textContent()).toBe("$12.50");
    expect(await page.getByTestId("token-amount").textContent()).toBe("12.50 tUSDC");
    await connectAndWaitForPay(page);
    await page.getByTestId("pay-button").click();
    await waitForReceipt(page);

    const prompts = wallet.prompts();
    expect(prompts.map((p) => p.method)).toEqual(["eth_signTypedData_v4", "eth_sendTransaction"]);
    expect(JSON.parse(prompts[0]!.params[1] as string).primaryType).toBe("Permit");
    const paid = (await cs.checkout(order.id)) as unknown as PaidCheckout;
    expect(paid.payment?.method).toBe("permit");
    await close();
  });

  test("behavior: a wallet that cannot sign typed data pays by approve, then pay", async () => {
    const order = await cs.createOrder();
    const { page, wallet, close } = await openCheckout(browser, cs, order.id, { refuseTypedData: true });
    await connectAndWaitForPay(page);
    await page.getByTestId("pay-button").click();
    await waitForReceipt(page);
    await page.getByText("paying with an approval and a payment transaction instead").waitFor();
    await screenshot(page, "checkout-paid-approve");

    expect(wallet.prompts().map((p) => `${p.method}:${p.outcome}`)).toEqual([
      "eth_signTypedData_v4:refused",
      "eth_sendTransaction:ok",
      "eth_sendTransaction:ok",
    ]);
    const paid = (await cs.checkout(order.id)) as unknown as PaidCheckout;
    expect(paid.payment?.method).toBe("allowance");
    await close();
  });

  test("behavior: a smart-account signature (not 65 bytes) falls back to approve, then pay, and says why", async () => {
    const order = await cs.createOrder();
    const { page, wallet, close } = await openCheckout(browser, cs, order.id, {
      smartAccountSignatures: true,
    });
    await connectAndWaitForPay(page);
    await page.getByTestId("pay-button").click();
    await waitForReceipt(page);
    await page.getByText("Your wallet is a smart-contract account").waitFor();
    expect(wallet.prompts().map((p) => `${p.method}:${p.outcome}`)).toEqual([
      "eth_signTypedData_v4:ok",
      "eth_sendTransaction:ok",
      "eth_sendTransaction:ok",
    ]);
    const paid = (await cs.checkout(order.id)) as unknown as PaidCheckout;
    expect(paid.payment?.method).toBe("allowance");
    await close();
  });

  test("behavior: a rejected signature is explained, nothing is paid, and Try again pays", async () => {
    const order = await cs.createOrder();
    const { page, wallet, close } = await openCheckout(browser, cs, order.id, { rejectSignatures: 1 });
    await connectAndWaitForPay(page);
    await page.getByTestId("pay-button").click();
    const error = page.getByTestId("pay-error");
    await error.waitFor();
    expect(await error.textContent()).toBe("You declined the request in your wallet. Nothing was sent.");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Try again");
    await screenshot(page, "checkout-signature-rejected");
    expect((await cs.checkout(order.id)).status).toBe("open");

    await page.getByRole("button", { name: "Try again" }).click();
    await waitForReceipt(page);
    expect(wallet.prompts().map((p) => `${p.method}:${p.outcome}`)).toEqual([
      "eth_signTypedData_v4:rejected",
      "eth_signTypedData_v4:ok",
      "eth_sendTransaction:ok",
    ]);
    await close();
  });

  test("behavior: a rejected transaction is retried without signing again", async () => {
    const order = await cs.createOrder();
    const { page, wallet, close } = await openCheckout(browser, cs, order.id, { rejectTransactions: 1 });
    await connectAndWaitForPay(page);
    await page.getByTestId("pay-button").click();
    await page.getByTestId("pay-error").waitFor();
    await page.getByRole("button", { name: "Try again" }).click();
    await waitForReceipt(page);
    expect(wallet.prompts().map((p) => `${p.method}:${p.outcome}`)).toEqual([
      "eth_signTypedData_v4:ok",
      "eth_sendTransaction:rejected",
      "eth_sendTransaction:ok",
    ]);
    await close();
  });

  test("behavior: wrong network, one click switches to the order's chain, then pays", async () => {
    const order = await cs.createOrder();
    const { page, wallet, close } = await openCheckout(browser, cs, order.id, { startChainId: 1 });
    await page.getByRole("button", { name: "Pier Test Wallet" }).click();
    await page.getByRole("heading", { name: "Wrong network" }).waitFor();
    expect(await page.getByTestId("pay-button").count()).toBe(0);
    await screenshot(page, "checkout-wrong-network");

    // Named as the API names the order's network (checkout.network.name), not from a table in the page.
    const { network } = (await cs.checkout(order.id)) as unknown as { network: { name: string } };
    expect(await page.getByTestId("network-switch").textContent()).toContain(
      `paid on ${network.name} (chain id ${cs.stack.deployment.chainId})`,
    );
    await page.getByRole("button", { name: `Switch to ${network.name}` }).click();
    await page.waitForSelector('[data-testid="pay-button"]:not([disabled])');
    await page.getByTestId("pay-button").click();
    await waitForReceipt(page);
    expect(wallet.prompts().map((p) => p.method)).toEqual([
      "wallet_switchEthereumChain",
      "eth_signTypedData_v4",
      "eth_sendTransaction",
    ]);
    await close();
  });
});

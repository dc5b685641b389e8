/**
 * A checkout whose order accepts two networks (two local chains, "Local A" 31337 and "Local B" 1337, each
 * with its own escrow and test token), in headless Chromium against the real stack: the page names the
 * network and token before anything is signed, the customer picks the other network with the keyboard
 * (POST /v1/checkout/:id/select), the wallet is asked to switch chains (EIP-3326), and the payment is made
 * on the chosen chain; the receipt names that network. Chain A also serves the DAI-like token (DAI's own
 * permit): picking it pays with one signature and one payWithDaiPermit transaction.
 */
import type { Browser } from "playwright-core";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { termsDigest } from "../../contracts/lib/terms.ts";
import { type PaymentTermsJson, paymentTermsFromJson } from "../../contracts/lib/termsJson.ts";
import { localNetworkName } from "../../scripts/lib/networksFile.ts";
import { SECOND_CHAIN_ID, type Stack } from "../harness/stack.ts";
import { openCheckout, screenshot, waitForReceipt } from "./lib/checkoutPage.ts";
import { type CheckoutStack, startCheckoutStack } from "./lib/checkoutStack.ts";
import { launchChromium } from "./lib/playwright.ts";

const CHAIN_A = 31337;
const CHAIN_B = SECOND_CHAIN_ID;

let cs: CheckoutStack;
let browser: Browser;

beforeAll(async () => {
  [cs, browser] = await Promise.all([
    startCheckoutStack({ webDir: inject("webDir"), secondChain: true, tokenModels: true, networks }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await cs?.stop();
});

interface CheckoutJson {
  status: string;
  chain_id: number;
  escrow: Address;
  network: { name: string };
  token: { address: Address; symbol: string };
  terms: PaymentTermsJson;
  options: { chain_id: number; network: { name: string }; token: { address: Address }; selected: boolean }[];
  payment: { method: string; payer: Address; tx_hash: string } | null;
}

const chainOf = (chainId: number) => cs.stack.chains.find((c) => c.chain.chainId === chainId)!;
const testToken = (chainId: number) => chainOf(chainId).deployment.contracts.TestStablecoin!.address;
const daiToken = () => chainOf(CHAIN_A).deployment.contracts.DaiLike!.address;

/** The API's networks: "Local A" with the test token and the DAI-like token, "Local B" with its test token. */
function networks(stack: Stack) {
  return {
    networks: stack.chains.map((c, i) => ({
      chain_id: c.chain.chainId,
      name: localNetworkName(i),
      rpc_urls: [c.chain.rpcUrl],
      deployment_file: c.deploymentFile,
      confirmations: 1,
      testnet: true,
      ...(i === 0 && {
        tokens: [
          { address: c.deployment.contracts.TestStablecoin!.address },
          { address: c.deployment.contracts.DaiLike!.address, methods: ["dai_permit", "allowance"] },
        ],
      }),
    })),
  };
}

describe("checkout: choosing the network", () => {
  test("default: the customer switches the order to the other network, the wallet follows, and pays there", async () => {
    expect(cs.stack.chains.map((c) => c.chain.chainId)).toEqual([CHAIN_A, CHAIN_B]);
    const order = await cs.createOrder({
      accept: [{ network: CHAIN_A, token: testToken(CHAIN_A) }, { network: CHAIN_B }],
    });
    const before = (await cs.checkout(order.id)) as unknown as CheckoutJson;
    expect(before.chain_id).toBe(CHAIN_A);
    expect(before.options.map((o) => [o.chain_id, o.selected])).toEqual([
      [CHAIN_A, true],
      [CHAIN_B, false],
    ]);
    const nameA = before.options[0]!.network.name;
    const nameB = before.options[1]!.network.name;
    const tokenB = before.options[1]!.token.address;

    const { page, wallet, pageErrors, close } = await openCheckout(browser, cs, order.id, {
      knownChainIds: [CHAIN_A, CHAIN_B],
    });
    const balanceA = await chainOf(CHAIN_A).pay.balanceOf(wallet.address);
    const balanceB = await chainOf(CHAIN_B).pay.balanceOf(wallet.address);

    // Before anything is signed: where the money goes, and the choice, each with its own amount.
    await page.getByTestId("network-picker").waitFor();
    expect(await page.getByTestId("summary-network").textContent()).toBe(`${nameA} (chain id ${CHAIN_A})`);
    expect(await page.getByTestId("token-address").first().getAttribute("title")).toBe(before.token.address);
    const radioA = page.getByRole("radio", { name: `10.00 tUSDC on ${nameA} (chain id ${CHAIN_A})` });
    const radioB = page.getByRole("radio", { name: `10.00 tUSDC on ${nameB} (chain id ${CHAIN_B})` });
    expect(await radioA.isChecked()).toBe(true);
    expect(await radioB.isChecked()).toBe(false);

    await page.getByRole("button", { name: "Pier Test Wallet" }).click();
    await page.waitForSelector('[data-testid="pay-button"]:not([disabled])');
    await screenshot(page, "checkout-networks-open");

    // The keyboard picks the other network: the API signs terms for it and the page shows them.
    await radioA.focus();
    await page.keyboard.press("ArrowDown");
    await page.waitForSelector(`[data-testid="summary-network"][data-chain-id="${CHAIN_B}"]`);
    expect(await radioB.isChecked()).toBe(true);
    expect(await page.getByTestId("summary-network").textContent()).toBe(`${nameB} (chain id ${CHAIN_B})`);
    expect(await page.getByTestId("token-address").first().getAttribute("title")).toBe(tokenB);
    const selected = (await cs.checkout(order.id)) as unknown as CheckoutJson;
    expect(selected.chain_id).toBe(CHAIN_B);
    expect(selected.token.address).toBe(tokenB);

    // The wallet is still on chain A: the page asks to switch, then pays on chain B.
    await page.getByRole("heading", { name: "Wrong network" }).waitFor();
    expect(await page.getByTestId("pay-button").count()).toBe(0);
    await screenshot(page, "checkout-networks-switch");
    await page.getByRole("button", { name: `Switch to ${nameB}` }).click();
    await page.waitForSelector('[data-testid="pay-button"]:not([disabled])');
    await page.getByTestId("pay-button").click();
    await waitForReceipt(page);
    await screenshot(page, "checkout-networks-paid");

    const prompts = wallet.prompts();
    expect(prompts.map((p) => p.method)).toEqual([
      "wallet_switchEthereumChain",
      "eth_signTypedData_v4",
      "eth_sendTransaction",
    ]);
    expect((prompts[0]!.params as [{ chainId: string }])[0].chainId).toBe(`0x${CHAIN_B.toString(16)}`);
    const typed = JSON.parse(prompts[1]!.params[1] as string);
    const terms = paymentTermsFromJson(selected.terms);
    expect(terms.token).toBe(tokenB);
    expect(Number(typed.domain.chainId)).toBe(CHAIN_B);
    expect(typed.message.nonce).toBe(termsDigest(CHAIN_B, selected.escrow, terms));

    const paid = (await cs.checkout(order.id)) as unknown as CheckoutJson;
    expect(paid.status).toBe("escrowed");
    expect(paid.chain_id).toBe(CHAIN_B);
    expect(paid.payment?.payer).toBe(wallet.address);
    expect(balanceB - (await chainOf(CHAIN_B).pay.balanceOf(wallet.address))).toBe(terms.amount);
    expect(await chainOf(CHAIN_A).pay.balanceOf(wallet.address)).toBe(balanceA);

    // The receipt names the network the money moved on.
    expect(await page.getByTestId("receipt-network").textContent()).toBe(`${nameB} (chain id ${CHAIN_B})`);
    expect(await page.getByTestId("receipt").getByTestId("tx-hash").getAttribute("data-hash")).toBe(
      paid.payment?.tx_hash,
    );
    expect(await page.getByTestId("network-picker").count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await close();
  });

  test("behavior: picking the DAI-like token pays with DAI's permit, one signature and one transaction", async () => {
    const order = await cs.createOrder({
      accept: [
        { network: CHAIN_A, token: testToken(CHAIN_A) },
        { network: CHAIN_A, token: daiToken() },
      ],
    });
    const { page, wallet, pageErrors, close } = await openCheckout(browser, cs, order.id);
    const dai = page.getByRole("radio", { name: `10.00 DAI on Local A (chain id ${CHAIN_A})` });
    await dai.waitFor();
    await page.getByRole("button", { name: "Pier Test Wallet" }).click();
    await page.waitForSelector('[data-testid="pay-button"]:not([disabled])');

    await dai.check();
    await page.waitForSelector('[data-testid="pay-button"]:not([disabled]):text("Pay 10.00 DAI")');
    expect(await page.getByTestId("token-address").first().getAttribute("title")).toBe(daiToken());
    await page.getByTestId("pay-button").click();
    await waitForReceipt(page);

    const prompts = wallet.prompts();
    expect(prompts.map((p) => p.method)).toEqual(["eth_signTypedData_v4", "eth_sendTransaction"]);
    const typed = JSON.parse(prompts[0]!.params[1] as string);
    expect(typed.primaryType).toBe("Permit");
    expect(typed.domain).toMatchObject({ name: "Dai Stablecoin", version: "1" });
    expect(typed.message.holder.toLowerCase()).toBe(wallet.address.toLowerCase());
    expect(typed.message.allowed).toBe(true);
    const paid = (await cs.checkout(order.id)) as unknown as CheckoutJson;
    expect(paid.token.address).toBe(daiToken());
    expect(paid.payment?.method).toBe("dai_permit");
    expect(await page.getByTestId("receipt").getByText("Permit (DAI)").count()).toBe(1);
    expect(pageErrors).toEqual([]);
    await close();
  });

  test("error: a wallet that does not know the picked network is told to add it; nothing is paid", async () => {
    const order = await cs.createOrder({
      accept: [{ network: CHAIN_A, token: testToken(CHAIN_A) }, { network: CHAIN_B }],
    });
    const { page, wallet, pageErrors, close } = await openCheckout(browser, cs, order.id, {
      knownChainIds: [CHAIN_A],
    });
    await page.getByRole("button", { name: "Pier Test Wallet" }).click();
    await page.waitForSelector('[data-testid="pay-button"]:not([disabled])');
    await page.getByRole("radio", { name: /Local B/ }).check();
    await page.getByRole("heading", { name: "Wrong network" }).waitFor();
    await page.getByRole("button", { name: "Switch to Local B" }).click();
    // The test build knows no public RPC for chain B, so there is nothing to add it with (EIP-3085).
    expect(await page.getByTestId("network-switch-error").textContent()).toBe(
      `Your wallet does not know Local B (chain id ${CHAIN_B}). Add it in your wallet, then press Switch again.`,
    );
    expect(wallet.requests.filter((r) => r.method === "wallet_addEthereumChain")).toEqual([]);
    expect(await page.getByTestId("pay-button").count()).toBe(0);
    expect(((await cs.checkout(order.id)) as unknown as CheckoutJson).status).toBe("open");
    expect(pageErrors).toEqual([]);
    await close();
  });
});

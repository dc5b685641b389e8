/**
 * A smart-contract wallet pays from the hosted checkout in Chromium without holding any native coin: the
 * page sees that the account has code, asks for one signature (vouched for by the wallet through
 * ERC-1271), and Pier's relayer sends the payment and pays the fee. The customer is told how it pays
 * and why; the wallet is never asked to send a transaction. In a token that cannot check a contract's
 * signature (tUSDC has no `bytes` variants), Pier refuses to relay and the checkout falls back to
 * approve and pay, saying so.
 */
import type { Browser } from "playwright-core";
import { type Address, erc20Abi, getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { mockSmartWalletAbi } from "../../contracts/generated/abis.ts";
import { mockSmartWalletBytecode } from "../../contracts/generated/bytecode.ts";
import { devAccount } from "../../contracts/lib/accounts.ts";
import { connectAndWaitForPay, openCheckout, waitForReceipt } from "./lib/checkoutPage.ts";
import { type CheckoutStack, startCheckoutStack } from "./lib/checkoutStack.ts";
import { launchChromium } from "./lib/playwright.ts";

let cs: CheckoutStack;
let browser: Browser;
let rusdc: Address;

beforeAll(async () => {
  [cs, browser] = await Promise.all([
    startCheckoutStack({
      webDir: inject("webDir"),
      // rUSDC (the USDC v2.2 model) checks contract accounts' signatures with ERC-1271.
      networks: (stack) => ({
        networks: [
          {
            chain_id: stack.deployment.chainId,
            rpc_urls: [stack.chain.rpcUrl],
            deployment_file: stack.deploymentFile,
            tokens: [
              { address: stack.deployment.contracts.RegulatedStablecoin!.address },
              { address: stack.deployment.contracts.TestStablecoin!.address },
            ],
          },
        ],
      }),
    }),
    launchChromium(),
  ]);
  rusdc = cs.stack.deployment.contracts.RegulatedStablecoin!.address;
});

afterAll(async () => {
  await browser?.close();
  await cs?.stop();
});

/** A MockSmartWallet owned by the dev customer key, holding 100 of `token` and no ETH. */
async function smartWallet(token: Address): Promise<Address> {
  const deployer = cs.stack.pay.wallet("deployer");
  const hash = await deployer.deployContract({
    abi: mockSmartWalletAbi,
    bytecode: mockSmartWalletBytecode,
    args: [devAccount("customer").address],
    account: deployer.account,
    chain: deployer.chain,
  });
  const wallet = getAddress(
    (await cs.stack.pay.publicClient.waitForTransactionReceipt({ hash })).contractAddress!,
  );
  await cs.stack.pay.send("customer", {
    address: token,
    abi: erc20Abi,
    functionName: "transfer",
    args: [wallet, 100_000_000n],
  });
  return wallet;
}

describe("checkout: smart-contract wallets", () => {
  test("behavior: one signature, Pier sends and pays the fee; the wallet holds no ETH and sends nothing", async () => {
    const address = await smartWallet(rusdc);
    const order = await cs.createOrder({ token: rusdc });
    const { page, wallet, close } = await openCheckout(browser, cs, order.id, { smartWallet: address });
    await connectAndWaitForPay(page);
    await page.getByTestId("pay-button").click();
    await page.getByText("you sign once, and Pier sends the payment and pays its network fee").waitFor();
    await waitForReceipt(page);
    expect(wallet.prompts().map((p) => `${p.method}:${p.outcome}`)).toEqual(["eth_signTypedData_v4:ok"]);
    const paid = await cs.checkout(order.id);
    expect(paid).toMatchObject({ status: "escrowed", payment: { method: "authorization", payer: address } });
    expect(await cs.stack.pay.publicClient.getBalance({ address })).toBe(0n);
    await close();
  });

  test("behavior: in a token that cannot check its signature, Pier refuses to relay and the checkout says so", async () => {
    const tusdc = cs.stack.deployment.contracts.TestStablecoin!.address;
    const address = await smartWallet(tusdc);
    const order = await cs.createOrder({ token: tusdc });
    const { page, wallet, close } = await openCheckout(browser, cs, order.id, { smartWallet: address });
    await connectAndWaitForPay(page);
    await page.getByTestId("pay-button").click();
    await page.getByText("Pier could not send this payment for you").waitFor();
    // The fallback needs the wallet to send transactions, which this one refuses: nothing is paid.
    await page.getByTestId("pay-error").waitFor();
    expect(wallet.prompts().map((p) => p.method)).toEqual(["eth_signTypedData_v4", "eth_sendTransaction"]);
    expect((await cs.checkout(order.id)).status).toBe("open");
    await close();
  });
});

/**
 * The checkout asks the wallet what it can do (EIP-5792 wallet_getCapabilities) and picks the best way to
 * pay, telling the customer which and why, and recording it in the order's timeline:
 *
 * - a wallet that batches atomically sends approve + pay as one wallet_sendCalls batch (after Pier declined
 *   to relay: tUSDC cannot check a smart account's signature);
 * - with the paymasterService capability and the operator's ERC-7677 paymaster URL, the wallet asks that
 *   service and the batch is sponsored: neither the wallet nor its owner key pays gas;
 * - a wallet that supports none of it pays the plain way (sign, then one transaction);
 * - an ERC-4337 wallet not deployed yet (no code, no ETH, an ERC-6492 signature) signs once and Pier relays
 *   it: the escrow deploys the wallet on the way.
 *
 * Every payment is a real order on the local chain, paid in Chromium.
 */
import type { Browser } from "playwright-core";
import { type Address, encodeFunctionData, erc20Abi, getAddress, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { mockSmartWalletAbi, mockSmartWalletFactoryAbi } from "../../contracts/generated/abis.ts";
import {
  mockSmartWalletBytecode,
  mockSmartWalletFactoryBytecode,
} from "../../contracts/generated/bytecode.ts";
import { devAccount } from "../../contracts/lib/accounts.ts";
import { type PaymasterService, startPaymasterService } from "../harness/paymasterService.ts";
import { connectAndWaitForPay, openCheckout, waitForReceipt } from "./lib/checkoutPage.ts";
import { type CheckoutStack, startCheckoutStack } from "./lib/checkoutStack.ts";
import { launchChromium } from "./lib/playwright.ts";

let cs: CheckoutStack;
let browser: Browser;
let paymaster: PaymasterService;
let rusdc: Address;
let tusdc: Address;
/** The paymaster's policy: filled in once the stack's contracts are known. */
const sponsored: Address[] = [];

beforeAll(async () => {
  paymaster = await startPaymasterService({ chainId: 31337, allowedTargets: sponsored });
  [cs, browser] = await Promise.all([
    startCheckoutStack({
      webDir: inject("webDir"),
      networks: (stack) => ({
        networks: [
          {
            chain_id: stack.deployment.chainId,
            rpc_urls: [stack.chain.rpcUrl],
            deployment_file: stack.deploymentFile,
            paymaster_url: paymaster.url,
            tokens: [
              { address: stack.deployment.contracts.TestStablecoin!.address },
              { address: stack.deployment.contracts.RegulatedStablecoin!.address },
            ],
          },
        ],
      }),
    }),
    launchChromium(),
  ]);
  rusdc = cs.stack.deployment.contracts.RegulatedStablecoin!.address;
  tusdc = cs.stack.deployment.contracts.TestStablecoin!.address;
  sponsored.push(cs.stack.deployment.contracts.PaymentEscrow.address, tusdc);
});

afterAll(async () => {
  await browser?.close();
  await cs?.stop();
  await paymaster?.close();
});

const owner = devAccount("customer").address;

async function fund(holder: Address, token: Address) {
  await cs.stack.pay.send("customer", {
    address: token,
    abi: erc20Abi,
    functionName: "transfer",
    args: [holder, 100_000_000n],
  });
}

/** A deployed MockSmartWallet owned by the dev customer key, holding 100 of `token` and no ETH. */
async function smartWallet(token: Address): Promise<Address> {
  const deployer = cs.stack.pay.wallet("deployer");
  const hash = await deployer.deployContract({
    abi: mockSmartWalletAbi,
    bytecode: mockSmartWalletBytecode,
    args: [owner],
    account: deployer.account,
    chain: deployer.chain,
  });
  const wallet = getAddress(
    (await cs.stack.pay.publicClient.waitForTransactionReceipt({ hash })).contractAddress!,
  );
  await fund(wallet, token);
  return wallet;
}

const ethOf = (address: Address) => cs.stack.pay.publicClient.getBalance({ address });

/** The order's `order.payment_method_chosen` events: method and reason, in order. */
async function choices(orderId: string) {
  return (await cs.events(orderId))
    .filter((e) => e.type === "order.payment_method_chosen")
    .map((e) => ({
      method: e.data.object.method,
      reason: e.data.object.reason,
      wallet: e.data.object.wallet,
    }));
}

describe("checkout: wallet capabilities (EIP-5792)", () => {
  test("behavior: a wallet that batches atomically approves and pays in one confirmation", async () => {
    const address = await smartWallet(tusdc);
    const order = await cs.createOrder({ token: tusdc });
    const ownerEth = await ethOf(owner);
    const { page, wallet, close } = await openCheckout(browser, cs, order.id, {
      smartWallet: address,
      capabilities: { atomic: true },
    });
    await connectAndWaitForPay(page);
    await page.getByTestId("pay-button").click();
    await page.getByText("Pier could not send this payment for you").waitFor();
    await page.getByText("sends the approval and the payment together: you confirm once").waitFor();
    await waitForReceipt(page);

    // One signature for the relay Pier declined, then one confirmation for the whole batch.
    expect(wallet.prompts().map((p) => `${p.method}:${p.outcome}`)).toEqual([
      "eth_signTypedData_v4:ok",
      "wallet_sendCalls:ok",
    ]);
    const batch = wallet.requests.find((r) => r.method === "wallet_sendCalls")!.params[0] as {
      calls: { to: Hex }[];
      atomicRequired: boolean;
      capabilities?: unknown;
    };
    expect(batch.atomicRequired).toBe(true);
    expect(batch.calls.map((c) => getAddress(c.to))).toEqual([
      tusdc,
      cs.stack.deployment.contracts.PaymentEscrow.address,
    ]);
    // The wallet did not offer the paymaster capability: none was asked for, and the owner paid the gas.
    expect(batch.capabilities).toBeUndefined();
    expect(await ethOf(owner)).toBeLessThan(ownerEth);
    const paid = await cs.checkout(order.id);
    expect(paid).toMatchObject({ status: "escrowed", payment: { method: "allowance", payer: address } });

    const chosen = await choices(order.id);
    expect(chosen.map((c) => c.method)).toEqual(["relayed", "batch"]);
    expect(chosen[1]).toMatchObject({
      reason: expect.stringContaining("Pier could not send this payment for you"),
      wallet: { type: "smart_account", atomic: true, paymaster: false },
    });
    await close();
  });

  test("behavior: with a paymaster, the wallet asks the operator's ERC-7677 service and neither the wallet nor its owner pays gas", async () => {
    const address = await smartWallet(tusdc);
    const order = await cs.createOrder({ token: tusdc });
    const ownerEth = await ethOf(owner);
    const asked = paymaster.requests.length;
    const { page, wallet, close } = await openCheckout(browser, cs, order.id, {
      smartWallet: address,
      capabilities: { atomic: true, paymaster: true },
    });
    await connectAndWaitForPay(page);
    await page.getByTestId("pay-button").click();
    await page.getByText("a paymaster pays the network fee: you confirm once and pay no gas").waitFor();
    await waitForReceipt(page);

    expect(wallet.prompts().map((p) => `${p.method}:${p.outcome}`)).toEqual([
      "eth_signTypedData_v4:ok",
      "wallet_sendCalls:ok",
    ]);
    const batch = wallet.requests.find((r) => r.method === "wallet_sendCalls")!.params[0] as {
      capabilities?: { paymasterService?: { url: string } };
    };
    expect(batch.capabilities?.paymasterService?.url).toBe(paymaster.url);
    expect(paymaster.requests.slice(asked).map((r) => `${r.method}:${r.outcome}`)).toEqual([
      "pm_getPaymasterStubData:sponsored",
      "pm_getPaymasterData:sponsored",
    ]);
    expect(await ethOf(owner)).toBe(ownerEth);
    expect(await ethOf(address)).toBe(0n);
    expect(await cs.checkout(order.id)).toMatchObject({ status: "escrowed", payment: { payer: address } });
    expect((await choices(order.id)).at(-1)).toMatchObject({
      method: "batch",
      wallet: { type: "smart_account", atomic: true, paymaster: true },
    });
    await close();
  });

  test("default: a wallet that supports none of it signs and sends one transaction, and is told so", async () => {
    const order = await cs.createOrder({ token: tusdc });
    const { page, wallet, close } = await openCheckout(browser, cs, order.id);
    await connectAndWaitForPay(page);
    await page.getByTestId("pay-button").click();
    await page.getByText("one signature, one transaction").waitFor();
    await waitForReceipt(page);
    expect(
      wallet.requests.filter((r) => r.method === "wallet_getCapabilities").map((r) => r.outcome),
    ).toContain("refused");
    expect(wallet.prompts().map((p) => `${p.method}:${p.outcome}`)).toEqual([
      "eth_signTypedData_v4:ok",
      "eth_sendTransaction:ok",
    ]);
    expect(await choices(order.id)).toEqual([
      {
        method: "authorization",
        reason: expect.stringContaining("one signature, one transaction"),
        wallet: { type: "eoa", atomic: false, paymaster: false },
      },
    ]);
    await close();
  });

  test("behavior: an ERC-4337 wallet not deployed yet signs once; Pier relays and the escrow deploys it", async () => {
    const deployer = cs.stack.pay.wallet("deployer");
    const factory = getAddress(
      (
        await cs.stack.pay.publicClient.waitForTransactionReceipt({
          hash: await deployer.deployContract({
            abi: mockSmartWalletFactoryAbi,
            bytecode: mockSmartWalletFactoryBytecode,
            account: deployer.account,
            chain: deployer.chain,
          }),
        })
      ).contractAddress!,
    );
    const salt = `0x${"42".repeat(32)}` as Hex;
    const address = await cs.stack.pay.publicClient.readContract({
      address: factory,
      abi: mockSmartWalletFactoryAbi,
      functionName: "addressOf",
      args: [owner, salt],
    });
    await fund(address, rusdc);
    expect(await cs.stack.pay.publicClient.getCode({ address })).toBeUndefined();
    const order = await cs.createOrder({ token: rusdc });
    const { page, wallet, close } = await openCheckout(browser, cs, order.id, {
      smartWallet: address,
      erc6492: {
        factory,
        factoryData: encodeFunctionData({
          abi: mockSmartWalletFactoryAbi,
          functionName: "deploy",
          args: [owner, salt],
        }),
      },
    });
    await connectAndWaitForPay(page);
    await page.getByTestId("pay-button").click();
    await page.getByText("Your wallet holds no ETH for the network fee: you sign once").waitFor();
    await waitForReceipt(page);
    expect(wallet.prompts().map((p) => `${p.method}:${p.outcome}`)).toEqual(["eth_signTypedData_v4:ok"]);
    expect(await cs.stack.pay.publicClient.getCode({ address })).toBeDefined();
    expect(await ethOf(address)).toBe(0n);
    expect(await cs.checkout(order.id)).toMatchObject({
      status: "escrowed",
      payment: { method: "authorization", payer: address },
    });
    expect((await choices(order.id)).map((c) => c.method)).toEqual(["relayed"]);
    await close();
  });
});

/**
 * The local deployment's issuer-controlled stablecoin (RegulatedStablecoin behind its proxy) through the
 * shared harness, the way tests and benchmarks use it: every way to pay works with its USDC-style EIP-712
 * domain (name + version "2", no eip712Domain()), and the issuer's blacklist and pause credit payouts that
 * anyone can have paid to the credited account once the issuer lifts them.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BaseError, ContractFunctionRevertedError } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_BALANCE, deployLocal } from "../../scripts/deploy.ts";
import { type ChainHandle, startChain } from "../../scripts/lib/chain.ts";
import { freePort } from "../../scripts/lib/ports.ts";
import { createPayments, type Payments } from "../../test/harness/payments.ts";
import { paymentEscrowAbi, regulatedStablecoinAbi } from "../generated/abis.ts";
import { devAccount } from "../lib/accounts.ts";
import type { Deployment } from "../lib/deployments.ts";

let dir: string;
let chain: ChainHandle;
let deployment: Deployment;
let pay: Payments;

const merchant = devAccount("merchant").address;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-issuer-"));
  chain = await startChain({ port: await freePort(), logFile: join(dir, "chain.log") });
  deployment = await deployLocal(chain.rpcUrl, join(dir, "deployment.json"));
  pay = createPayments(chain.rpcUrl, deployment, {
    token: deployment.contracts.RegulatedStablecoin!.address,
  });
});

afterAll(async () => {
  await chain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The revert reason of a failed simulation of `withdraw(token, recipient)`. */
async function withdrawRevertReason(recipient: `0x${string}`): Promise<string | undefined> {
  try {
    await pay.publicClient.simulateContract({
      account: devAccount("keeper").address,
      address: pay.escrow,
      abi: [...paymentEscrowAbi, ...regulatedStablecoinAbi],
      functionName: "withdraw",
      args: [pay.token, recipient],
    });
    return undefined;
  } catch (error) {
    const reverted =
      error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
    return reverted instanceof ContractFunctionRevertedError ? reverted.reason : String(error);
  }
}

describe("local deployment", () => {
  it("default: rUSDC sits behind its proxy, funded like tUSDC, the deployer as issuer", async () => {
    const regulated = deployment.contracts.RegulatedStablecoin!;
    expect(regulated.implementation).not.toBe(regulated.address);
    expect(regulated.proxyAdmin).toBe(devAccount("proxyAdmin").address);
    expect(regulated.roles.blacklister).toBe(devAccount("deployer").address);
    expect(pay.token).toBe(regulated.address);
    expect(await pay.balanceOf(devAccount("customer").address)).toBe(DEV_BALANCE);
    expect(await pay.balanceOf(devAccount("proxyAdmin").address)).toBe(0n);
  });
});

describe("paying in rUSDC", () => {
  it("behavior: allowance, permit, authorization and on behalf all pay through the proxy", async () => {
    const before = await pay.balanceOf(pay.escrow);
    await pay.payByAllowance(await pay.newTerms());
    await pay.payByPermit(await pay.newTerms());
    await pay.payByAuthorization(await pay.newTerms());
    await pay.payOnBehalf(await pay.newTerms());
    expect((await pay.balanceOf(pay.escrow)) - before).toBe(4n * 10_000_000n);
  });
});

describe("issuer controls", () => {
  it("behavior: a blacklisted merchant is credited; its credit is paid to it, by anyone, once unfrozen", async () => {
    const paid = await pay.payByAllowance(await pay.newTerms());
    const merchantBefore = await pay.balanceOf(merchant);
    await pay.issuer.blacklist(merchant);
    expect(await pay.issuer.isBlacklisted(merchant)).toBe(true);

    // The operator may release before the buyer-protection window ends.
    const released = await pay.release(paid.record, "operator");
    const credited = released.events.find((e) => e.eventName === "PayoutCredited");
    const net = paid.terms.amount - paid.terms.fee;
    expect(credited?.args).toMatchObject({ recipient: merchant, amount: net });
    expect(await withdrawRevertReason(merchant)).toBe("Blacklistable: account is blacklisted");

    await pay.issuer.unBlacklist(merchant);
    const withdrawn = await pay.withdraw(pay.token, merchant); // the keeper triggers it
    expect(withdrawn.events[0]).toMatchObject({
      eventName: "CreditWithdrawn",
      args: { recipient: merchant, caller: devAccount("keeper").address, amount: net },
    });
    expect((await pay.balanceOf(merchant)) - merchantBefore).toBe(net);
  });

  it("behavior: a paused token refuses payments and credits payouts until the unpause", async () => {
    const paid = await pay.payByAllowance(await pay.newTerms());
    const feeRecipient = devAccount("feeRecipient").address;
    const feeBefore = await pay.balanceOf(feeRecipient);
    await pay.issuer.pause();
    try {
      await expect(pay.payByAuthorization(await pay.newTerms())).rejects.toThrow();
      await pay.release(paid.record, "operator");
      expect(await withdrawRevertReason(feeRecipient)).toBe("Pausable: paused");
    } finally {
      await pay.issuer.unpause();
    }
    await pay.withdraw(pay.token, feeRecipient);
    await pay.withdraw(pay.token, merchant);
    expect((await pay.balanceOf(feeRecipient)) - feeBefore).toBe(paid.terms.fee);
  });

  it("behavior: a charge (no escrow period) to a blacklisted merchant lands, crediting the merchant", async () => {
    await pay.issuer.blacklist(merchant);
    try {
      const escrowBefore = await pay.balanceOf(pay.escrow);
      const charged = await pay.payByAuthorization(await pay.newTerms({ escrowPeriod: 0n }));
      const net = charged.terms.amount - charged.terms.fee;
      expect(charged.events.map((e) => e.eventName)).toEqual([
        "PaymentEscrowed",
        "PaymentReleased",
        "PayoutCredited",
      ]);
      expect(charged.events[2]?.args).toMatchObject({ recipient: merchant, amount: net });
      // The fee went out; the merchant's net stays in the escrow as its credit.
      expect((await pay.balanceOf(pay.escrow)) - escrowBefore).toBe(net);
    } finally {
      await pay.issuer.unBlacklist(merchant);
    }
    await pay.withdraw(pay.token, merchant);
  });
});

/**
 * The flows the API, the web checkout and the CLI use, from TypeScript with viem against a real Hardhat
 * node: terms signed in TypeScript are accepted on chain, permit and ERC-3009 signatures pay, bad
 * signatures are refused with the contract's own errors, and events decode into the records that later
 * calls need.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Hex, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployLocal } from "../../scripts/deploy.ts";
import { type ChainHandle, startChain } from "../../scripts/lib/chain.ts";
import { freePort } from "../../scripts/lib/ports.ts";
import { createPayments, type Payments } from "../../test/harness/payments.ts";
import { paymentEscrowAbi, testStablecoinAbi } from "../generated/abis.ts";
import { devAccount } from "../lib/accounts.ts";
import type { Deployment } from "../lib/deployments.ts";
import { payWithAuthorizationArgs, recordFromEscrowed } from "../lib/payTerms.ts";
import { type PaymentTerms, paymentIdOf, signTerms, termsDigest } from "../lib/terms.ts";
import { readTokenDomain } from "../lib/tokenDomain.ts";
import { receiveWithAuthorizationTypedData } from "../lib/typedData.ts";

let dir: string;
let chain: ChainHandle;
let deployment: Deployment;
let pay: Payments;
const escrowAbiWithTokenErrors = [...paymentEscrowAbi, ...testStablecoinAbi];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-contracts-ts-"));
  chain = await startChain({ port: await freePort(), logFile: join(dir, "chain.log") });
  deployment = await deployLocal(chain.rpcUrl, join(dir, "deployment.json"));
  pay = createPayments(chain.rpcUrl, deployment);
});

afterAll(async () => {
  await chain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function readEscrow<T>(functionName: string, args: unknown[]): Promise<T> {
  return pay.publicClient.readContract({
    address: pay.escrow,
    abi: paymentEscrowAbi,
    functionName,
    args,
  } as Parameters<typeof pay.publicClient.readContract>[0]) as Promise<T>;
}

function simulatePay(terms: PaymentTerms, signature: Hex) {
  return pay.publicClient.simulateContract({
    account: devAccount("customer").address,
    address: pay.escrow,
    abi: escrowAbiWithTokenErrors,
    functionName: "pay",
    args: [terms, signature],
  });
}

describe("terms signed in TypeScript", () => {
  it("default: the digest and payment id match the contract's", async () => {
    const terms = await pay.newTerms();
    expect(await readEscrow<Hex>("termsDigest", [terms])).toBe(
      termsDigest(deployment.chainId, pay.escrow, terms),
    );
    expect(await readEscrow<Hex>("paymentIdOf", [terms.operator, terms.orderId])).toBe(
      paymentIdOf(terms.operator, terms.orderId),
    );
  });

  it("behavior: the escrow accepts the operator's signature and records exactly the signed terms", async () => {
    const terms = await pay.newTerms({ amount: 12_345_678n, fee: 123_456n });
    const before = await pay.balanceOf(devAccount("customer").address);
    const paid = await pay.payByAllowance(terms);
    expect(await pay.balanceOf(devAccount("customer").address)).toBe(before - terms.amount);
    const args = paid.escrowed.args;
    expect(args).toMatchObject({
      paymentId: paymentIdOf(terms.operator, terms.orderId),
      orderId: terms.orderId,
      merchant: terms.merchant,
      operator: terms.operator,
      payer: devAccount("customer").address,
      refundTo: devAccount("customer").address,
      token: terms.token,
      amount: terms.amount,
      fee: terms.fee,
      method: 0,
    });
    const block = await pay.publicClient.getBlock({ blockNumber: paid.receipt.blockNumber });
    expect(args.releaseAfter).toBe(block.timestamp + terms.escrowPeriod);
    expect(await readEscrow<bigint>("remaining", [paid.record])).toBe(terms.amount);
  });

  it("error: a signature by another key is refused with InvalidOperatorSignature", async () => {
    const terms = await pay.newTerms();
    const forged = await signTerms(devAccount("customer"), deployment.chainId, pay.escrow, terms);
    await expect(simulatePay(terms, forged)).rejects.toThrow(/InvalidOperatorSignature/);
  });

  it("error: a signature for another chain id does not verify", async () => {
    const terms = await pay.newTerms();
    const otherChain = await signTerms(devAccount("operator"), deployment.chainId + 1, pay.escrow, terms);
    await expect(simulatePay(terms, otherChain)).rejects.toThrow(/InvalidOperatorSignature/);
  });

  it("error: changing any signed field after signing invalidates the signature", async () => {
    const terms = await pay.newTerms();
    const signature = await pay.signTerms(terms);
    await expect(simulatePay({ ...terms, amount: terms.amount - 1n }, signature)).rejects.toThrow(
      /InvalidOperatorSignature/,
    );
  });

  it("error: an order id is paid once", async () => {
    const terms = await pay.newTerms();
    await pay.payByAllowance(terms);
    await expect(simulatePay(terms, await pay.signTerms(terms))).rejects.toThrow(/AlreadyPaid/);
  });
});

describe("EIP-2612 permit", () => {
  it("default: one payWithPermit transaction pays without a prior approve", async () => {
    const terms = await pay.newTerms();
    const allowance = () =>
      pay.publicClient.readContract({
        address: pay.token,
        abi: testStablecoinAbi,
        functionName: "allowance",
        args: [devAccount("customer2").address, pay.escrow],
      });
    expect(await allowance()).toBe(0n);
    const paid = await pay.payByPermit(terms, "customer2");
    expect(paid.escrowed.args.method).toBe(1);
    expect(paid.escrowed.args.payer).toBe(devAccount("customer2").address);
    expect(await allowance()).toBe(0n);
  });
});

describe("ERC-3009 receiveWithAuthorization", () => {
  it("default: a relayer submits the payer's authorization; the payer pays no gas", async () => {
    const terms = await pay.newTerms();
    const payer = devAccount("customer").address;
    const ethBefore = await pay.publicClient.getBalance({ address: payer });
    const paid = await pay.payByAuthorization(terms, "customer", "keeper");
    expect(paid.escrowed.args.method).toBe(2);
    expect(paid.escrowed.args.payer).toBe(payer);
    expect(await pay.publicClient.getBalance({ address: payer })).toBe(ethBefore);
    const used = await pay.publicClient.readContract({
      address: pay.token,
      abi: testStablecoinAbi,
      functionName: "authorizationState",
      args: [payer, termsDigest(deployment.chainId, pay.escrow, terms)],
    });
    expect(used).toBe(true);
  });

  it("error: an authorization whose nonce is not the terms digest cannot pay (it could be redirected)", async () => {
    const terms = await pay.newTerms();
    const from = devAccount("customer");
    const domain = await readTokenDomain(pay.publicClient, { token: pay.token, chainId: deployment.chainId });
    const authorization = await from.signTypedData(
      receiveWithAuthorizationTypedData(domain!, {
        from: from.address,
        to: pay.escrow,
        value: terms.amount,
        validAfter: 0n,
        validBefore: terms.deadline,
        nonce: keccak256(toHex("some other nonce")),
      }),
    );
    await expect(
      pay.publicClient.simulateContract({
        account: devAccount("keeper").address,
        address: pay.escrow,
        abi: escrowAbiWithTokenErrors,
        functionName: "payWithAuthorization",
        args: payWithAuthorizationArgs(terms, await pay.signTerms(terms), from.address, authorization),
      }),
    ).rejects.toThrow(/ERC3009InvalidSignature/);
  });
});

describe("reading events", () => {
  it("default: PaymentEscrowed logs rebuild the record that refund and release accept", async () => {
    const terms = await pay.newTerms();
    const paid = await pay.payByAuthorization(terms);
    const logs = await pay.publicClient.getContractEvents({
      address: pay.escrow,
      abi: paymentEscrowAbi,
      eventName: "PaymentEscrowed",
      args: { orderId: terms.orderId },
      fromBlock: BigInt(deployment.contracts.PaymentEscrow.blockNumber),
    });
    expect(logs).toHaveLength(1);
    const record = recordFromEscrowed(terms, logs[0]!);
    expect(record).toEqual(paid.record);
    const refunded = await pay.refund(record, 1_000n);
    const event = refunded.events.find((e) => e.eventName === "PaymentRefunded");
    expect(event?.args).toMatchObject({ amount: 1_000n, totalRefunded: 1_000n, closed: false });
    expect(await readEscrow<bigint>("remaining", [record])).toBe(terms.amount - 1_000n);
  });
});

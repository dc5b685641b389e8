/**
 * contracts/lib/payTerms.ts and typedData.ts on a real Hardhat node, against both local tokens: the plain
 * TestStablecoin (EIP-5267 domain) and the RegulatedStablecoin model behind its proxy (USDC's name +
 * version domain). The tokens verify the typed data as built; each way to pay lands in the escrow; the
 * deadline rule holds to the second; a smart-contract account's signature is refused before anything is
 * sent. Accounts are the harness's dev accounts; the clients are plain viem.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Address,
  createWalletClient,
  domainSeparator,
  http,
  keccak256,
  serializeErc6492Signature,
  toHex,
} from "viem";
import { toAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployLocal } from "../../scripts/deploy.ts";
import { type ChainHandle, rpc, startChain } from "../../scripts/lib/chain.ts";
import { freePort } from "../../scripts/lib/ports.ts";
import { createPayments, type Payments } from "../../test/harness/payments.ts";
import { paymentEscrowAbi } from "../generated/abis.ts";
import type { DevRole } from "../lib/accounts.ts";
import type { Deployment } from "../lib/deployments.ts";
import {
  approveIfNeeded,
  type PayMethod,
  type PayTermsParameters,
  payByAuthorization,
  payByPermit,
  payTerms,
  TokenDomainUnavailableError,
} from "../lib/payTerms.ts";
import type { PaymentTerms } from "../lib/terms.ts";
import { paymentTokenAbi } from "../lib/tokenAbi.ts";
import { readTokenDomain } from "../lib/tokenDomain.ts";
import {
  NotEcdsaSignatureError,
  permitTypedData,
  receiveWithAuthorizationTypedData,
  splitSignature,
} from "../lib/typedData.ts";

let dir: string;
let chain: ChainHandle;
let deployment: Deployment;
/** One harness per token: its dev wallets, fresh terms and operator signatures. */
const harness: Record<"tUSDC" | "rUSDC", Payments> = {} as never;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-pay-terms-"));
  chain = await startChain({ port: await freePort(), logFile: join(dir, "chain.log") });
  deployment = await deployLocal(chain.rpcUrl, join(dir, "deployment.json"));
  harness.tUSDC = createPayments(chain.rpcUrl, deployment);
  harness.rUSDC = createPayments(chain.rpcUrl, deployment, {
    token: deployment.contracts.RegulatedStablecoin!.address,
  });
});

afterAll(async () => {
  await chain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What payTerms.ts takes to pay `terms` from dev account `payer`, the operator's signature included. */
async function parameters(pay: Payments, terms: PaymentTerms, payer: DevRole): Promise<PayTermsParameters> {
  return {
    publicClient: pay.publicClient,
    wallet: pay.wallet(payer),
    escrow: pay.escrow,
    terms,
    operatorSignature: await pay.signTerms(terms),
  };
}

function remaining(pay: Payments, record: Parameters<typeof pay.refund>[0]): Promise<bigint> {
  return pay.publicClient.readContract({
    address: pay.escrow,
    abi: paymentEscrowAbi,
    functionName: "remaining",
    args: [record],
  });
}

/** The rejection of `promise`, for assertions on its class. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe.each(["tUSDC", "rUSDC"] as const)("%s", (symbol) => {
  const pay = () => harness[symbol];

  it("default: readTokenDomain hashes to the token's DOMAIN_SEPARATOR", async () => {
    const domain = await readTokenDomain(pay().publicClient, {
      token: pay().token,
      chainId: deployment.chainId,
    });
    expect(domain).toMatchObject({ chainId: deployment.chainId, verifyingContract: pay().token });
    const separator = await pay().publicClient.readContract({
      address: pay().token,
      abi: paymentTokenAbi,
      functionName: "DOMAIN_SEPARATOR",
    });
    expect(domainSeparator({ domain: domain! })).toBe(separator);
  });

  it("behavior: the token's own permit takes a Permit signed over permitTypedData", async () => {
    const owner = pay().wallet("customer2");
    const spender = pay().wallet("merchant").account.address;
    const { publicClient, token } = pay();
    const domain = (await readTokenDomain(publicClient, { token, chainId: deployment.chainId }))!;
    const nonce = await publicClient.readContract({
      address: token,
      abi: paymentTokenAbi,
      functionName: "nonces",
      args: [owner.account.address],
    });
    const deadline = (await pay().chainTime()) + 600n;
    const message = { owner: owner.account.address, spender, value: 1_234n, nonce, deadline };
    const { v, r, s } = splitSignature(await owner.account.signTypedData(permitTypedData(domain, message)));
    await pay().send("keeper", {
      address: token,
      abi: paymentTokenAbi,
      functionName: "permit",
      args: [message.owner, spender, message.value, deadline, v, r, s],
    });
    const allowance = await publicClient.readContract({
      address: token,
      abi: paymentTokenAbi,
      functionName: "allowance",
      args: [message.owner, spender],
    });
    expect(allowance).toBe(1_234n);
  });

  it("behavior: the token's own receiveWithAuthorization takes one signed over its typed data", async () => {
    const from = pay().wallet("customer2").account;
    const to = pay().wallet("merchant").account.address;
    const { publicClient, token } = pay();
    const domain = (await readTokenDomain(publicClient, { token, chainId: deployment.chainId }))!;
    const message = {
      from: from.address,
      to,
      value: 4_321n,
      validAfter: 0n,
      validBefore: (await pay().chainTime()) + 600n,
      nonce: keccak256(toHex(`direct ${symbol}`)),
    };
    const { v, r, s } = splitSignature(
      await from.signTypedData(receiveWithAuthorizationTypedData(domain, message)),
    );
    const before = await pay().balanceOf(to);
    // ReceiveWithAuthorization: only the payee may submit it.
    await pay().send("merchant", {
      address: token,
      abi: paymentTokenAbi,
      functionName: "receiveWithAuthorization",
      args: [
        message.from,
        to,
        message.value,
        message.validAfter,
        message.validBefore,
        message.nonce,
        v,
        r,
        s,
      ],
    });
    expect((await pay().balanceOf(to)) - before).toBe(4_321n);
  });

  it.each([
    ["allowance", 0],
    ["permit", 1],
    ["authorization", 2],
  ] as const)(
    "behavior: payTerms(%s) pays the escrow exactly the amount from the payer",
    async (method: PayMethod, code) => {
      const terms = await pay().newTerms({ amount: 7_000_000n });
      const payer = pay().wallet("customer").account.address;
      const [payerBefore, escrowBefore] = await Promise.all([
        pay().balanceOf(payer),
        pay().balanceOf(pay().escrow),
      ]);
      const paid = await payTerms(method, await parameters(pay(), terms, "customer"));
      expect(paid.escrowed.args).toMatchObject({
        payer,
        refundTo: payer,
        amount: terms.amount,
        method: code,
      });
      expect(paid.record).toMatchObject({ terms, payer, refundTo: payer });
      expect(await remaining(pay(), paid.record)).toBe(terms.amount);
      expect(payerBefore - (await pay().balanceOf(payer))).toBe(terms.amount);
      expect((await pay().balanceOf(pay().escrow)) - escrowBefore).toBe(terms.amount);
    },
  );

  it("behavior: allowance approves only when the allowance falls short", async () => {
    const p = await parameters(pay(), await pay().newTerms(), "customer2");
    const approve = { ...p, token: pay().token, spender: pay().escrow, amount: p.terms.amount };
    expect(await approveIfNeeded(approve)).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await approveIfNeeded(approve)).toBeUndefined();
    const paid = await payTerms("allowance", p);
    expect(paid.escrowed.args.payer).toBe(p.wallet.account.address);
  });

  it("behavior: a relayer submits the authorization and pays the gas; the signer is the payer", async () => {
    const terms = await pay().newTerms();
    const payer = pay().wallet("customer").account.address;
    const ethBefore = await pay().publicClient.getBalance({ address: payer });
    const paid = await payByAuthorization({
      ...(await parameters(pay(), terms, "customer")),
      relayer: pay().wallet("keeper"),
    });
    expect(paid.escrowed.args.payer).toBe(payer);
    expect(paid.receipt.from.toLowerCase()).toBe(pay().wallet("keeper").account.address.toLowerCase());
    expect(await pay().publicClient.getBalance({ address: payer })).toBe(ethBefore);
  });
});

describe("the deadline rule: payable strictly before the deadline", () => {
  /**
   * Fresh tUSDC terms due in 100 s, signed by the operator, with the next block's timestamp set to
   * `secondsAfterDeadline` past the deadline (negative: before it). Returns the terms and how to pay them.
   */
  async function payableAt(method: PayMethod, secondsAfterDeadline: bigint) {
    const pay = harness.tUSDC;
    const terms = await pay.newTerms({ deadline: (await pay.chainTime()) + 100n });
    const p = await parameters(pay, terms, "customer");
    await rpc(chain.rpcUrl, "evm_setNextBlockTimestamp", [Number(terms.deadline + secondsAfterDeadline)]);
    return { terms, pay: () => payTerms(method, p) };
  }

  it.each(["permit", "authorization"] as const)(
    "default: %s lands in the deadline's last second",
    async (method) => {
      const { terms, pay } = await payableAt(method, -1n);
      const paid = await pay();
      const block = await harness.tUSDC.publicClient.getBlock({ blockNumber: paid.receipt.blockNumber });
      expect(block.timestamp).toBe(terms.deadline - 1n);
    },
  );

  it.each(["permit", "authorization"] as const)(
    "error: %s at the deadline is refused (DeadlinePassed)",
    async (method) => {
      const { pay } = await payableAt(method, 0n);
      await expect(pay()).rejects.toThrow(/DeadlinePassed/);
      // Nothing was mined: the next block still takes the timestamp set above; move past it for later tests.
      await rpc(chain.rpcUrl, "evm_mine");
    },
  );
});

describe("signatures the v, r, s paths cannot take", () => {
  /** A smart-contract account (ERC-6492: not deployed yet) whose signatures wrap its owner's. */
  function smartAccountWallet(pay: Payments) {
    const owner = pay.wallet("customer").account;
    const account = toAccount({
      address: "0x000000000000000000000000000000000000c0de" as Address,
      async signMessage() {
        throw new Error("not used");
      },
      async signTransaction() {
        throw new Error("a smart account sends through a bundler, not a raw transaction");
      },
      async signTypedData(typedData) {
        return serializeErc6492Signature({
          address: "0x0000000000000000000000000000000000fac702",
          data: "0x1234",
          signature: await owner.signTypedData(typedData as Parameters<typeof owner.signTypedData>[0]),
        });
      },
    });
    return createWalletClient({
      account,
      chain: pay.wallet("customer").chain,
      transport: http(chain.rpcUrl),
    });
  }

  it.each([
    ["tUSDC", "permit"],
    ["tUSDC", "authorization"],
    ["rUSDC", "permit"],
    ["rUSDC", "authorization"],
  ] as const)(
    "error: %s %s from a contract account throws NotEcdsaSignatureError and sends nothing",
    async (symbol, method) => {
      const pay = harness[symbol];
      const terms = await pay.newTerms();
      const keeper = pay.wallet("keeper").account.address;
      const nonceBefore = await pay.publicClient.getTransactionCount({ address: keeper });
      const p = { ...(await parameters(pay, terms, "customer")), wallet: smartAccountWallet(pay) };
      const error = await rejection(
        method === "permit" ? payByPermit(p) : payByAuthorization({ ...p, relayer: pay.wallet("keeper") }),
      );
      expect(error).toBeInstanceOf(NotEcdsaSignatureError);
      expect((error as NotEcdsaSignatureError).bytes).toBeGreaterThan(65);
      expect(await pay.publicClient.getTransactionCount({ address: keeper })).toBe(nonceBefore);
    },
  );

  it("error: a token that tells no EIP-712 domain cannot be paid by permit (TokenDomainUnavailableError)", async () => {
    const pay = harness.tUSDC;
    const noToken = pay.wallet("merchant").account.address; // an EOA: no eip712Domain, name or version
    const terms = await pay.newTerms({ token: noToken });
    const error = await rejection(payByPermit(await parameters(pay, terms, "customer")));
    expect(error).toBeInstanceOf(TokenDomainUnavailableError);
  });
});

/**
 * Paying and settling escrow payments on a running chain, the way Pier's real clients do, for tests and
 * benchmarks: the operator signs EIP-712 terms; a customer pays by allowance, EIP-2612 permit, DAI's permit or
 * ERC-3009 authorization (through contracts/lib/payTerms.ts, as the CLI does), or the treasury pays on behalf of a
 * fiat customer; merchants, operators, payers, the
 * arbiter and the keeper then release, refund, dispute, hold and resolve. Every action waits for its
 * receipt, checks it succeeded and returns it with the escrow events it emitted, decoded.
 *
 *   const pay = createPayments(rpcUrl, deployment);
 *   const terms = await pay.newTerms({ amount: 25_000_000n });
 *   const paid = await pay.payByPermit(terms);            // paid.record feeds release/refund/...
 *   await pay.refund(paid.record, 5_000_000n);
 *
 * Tokens: the TestStablecoin by default; `createPayments(rpcUrl, deployment, { token })` makes another
 * the default (e.g. `deployment.contracts.RegulatedStablecoin.address`, the issuer-controlled model), and
 * `newTerms({ token })` picks one per payment. `pay.issuer` blacklists, unblacklists, pauses and unpauses
 * the RegulatedStablecoin as its issuer.
 *
 * Accounts are the public Hardhat dev accounts by role (contracts/lib/accounts.ts): local chains only.
 */
import { randomBytes } from "node:crypto";
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  erc20Abi,
  type Hex,
  http,
  type Log,
  maxUint256,
  parseEventLogs,
  type TransactionReceipt,
} from "viem";
import { paymentEscrowAbi, regulatedStablecoinAbi } from "../../contracts/generated/abis.ts";
import { type DevRole, devAccount } from "../../contracts/lib/accounts.ts";
import type { Deployment } from "../../contracts/lib/deployments.ts";
import {
  approveIfNeeded,
  type EscrowedEvent,
  paidFromReceipt,
  payArgs,
  payByAllowance,
  payByAuthorization,
  payByDaiPermit,
  payByPermit,
  type TermsPaid,
} from "../../contracts/lib/payTerms.ts";
import {
  onchainOrderId,
  type PaymentRecord,
  type PaymentTerms,
  paymentIdOf,
  signTerms,
} from "../../contracts/lib/terms.ts";
import { readTokenDomain } from "../../contracts/lib/tokenDomain.ts";
import type { TokenDomain } from "../../contracts/lib/typedData.ts";
import { rpc } from "../../scripts/lib/chain.ts";

/** A decoded PaymentEscrow event, as viem returns it from a receipt. */
export type EscrowEvent = ReturnType<typeof parseEventLogs<typeof paymentEscrowAbi>>[number];

export interface Sent {
  hash: Hex;
  receipt: TransactionReceipt;
  /** PaymentEscrow events of this transaction, in log order. */
  events: EscrowEvent[];
}

/** A payment made through contracts/lib/payTerms.ts, with its terms and every escrow event it emitted. */
export interface Paid extends Sent, TermsPaid {
  terms: PaymentTerms;
  /** The PaymentEscrowed event this payment emitted. */
  escrowed: EscrowedEvent;
}

/** Defaults for new terms: 10 tUSDC with a 0.25 tUSDC fee, payable for an hour, 7-day escrow. */
export const DEFAULT_AMOUNT = 10_000_000n;
export const DEFAULT_FEE = 250_000n;
export const DEFAULT_ESCROW_PERIOD = 7n * 24n * 3600n;
const PAY_WINDOW_SECONDS = 3600n;

export type Payments = ReturnType<typeof createPayments>;

export interface PaymentsOptions {
  /**
   * The token of new terms, balances and unlimited approvals unless one is named: the deployment's
   * TestStablecoin when not given.
   */
  token?: Address;
}

export function createPayments(rpcUrl: string, deployment: Deployment, options: PaymentsOptions = {}) {
  const chain = defineChain({
    id: deployment.chainId,
    name: `chain ${deployment.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 20 });
  const escrow = deployment.contracts.PaymentEscrow.address;
  const tokenDeployment = deployment.contracts.TestStablecoin;
  if (!tokenDeployment && !options.token)
    throw new Error("the deployment has no TestStablecoin: deploy with deployLocal()");
  const token = options.token ?? tokenDeployment!.address;
  const regulated = deployment.contracts.RegulatedStablecoin;
  const domains = new Map<Address, TokenDomain>();
  const operator = account("operator");
  const wallets = new Map<DevRole, ReturnType<typeof createWallet>>();

  function createWallet(role: DevRole) {
    return createWalletClient({ account: account(role), chain, transport });
  }

  /** A wallet client for a dev account on this chain (one per role, reused). */
  function wallet(role: DevRole) {
    const existing = wallets.get(role);
    if (existing) return existing;
    const created = createWallet(role);
    wallets.set(role, created);
    return created;
  }

  /** Sends a contract call from `role`, waits for the receipt and requires success. */
  async function send(
    role: DevRole,
    call: { address: Address; abi: Abi; functionName: string; args: unknown[] },
  ): Promise<Sent> {
    const hash = await wallet(role).writeContract(
      call as Parameters<ReturnType<typeof wallet>["writeContract"]>[0],
    );
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success")
      throw new Error(`${call.functionName} from ${role} reverted (tx ${hash})`);
    return { hash, receipt, events: escrowEvents(receipt.logs) };
  }

  function sign(terms: PaymentTerms): Promise<Hex> {
    return signTerms(operator, deployment.chainId, escrow, terms);
  }

  function sendEscrow(role: DevRole, functionName: string, args: unknown[]) {
    return send(role, { address: escrow, abi: paymentEscrowAbi, functionName, args });
  }

  function paid(result: TermsPaid, terms: PaymentTerms): Paid {
    return { ...result, terms, events: escrowEvents(result.receipt.logs) };
  }

  /**
   * What contracts/lib/payTerms.ts needs to pay `terms` from `payer`, the operator signing them; the
   * token's domain (read once per token) when the payer `signed` a permit or an authorization.
   */
  async function payParameters(terms: PaymentTerms, payer: DevRole, signed: boolean) {
    return {
      publicClient,
      wallet: wallet(payer),
      escrow,
      terms,
      operatorSignature: await sign(terms),
      // Permit and authorization sign in the token's domain; an allowance needs none (nor a token with one).
      tokenDomain: signed ? await tokenDomain(terms.token) : undefined,
    };
  }

  /** The dev account holding the RegulatedStablecoin's issuer roles (the deployer, per deployLocal). */
  function issuerRole(): DevRole {
    if (!regulated) throw new Error("the deployment has no RegulatedStablecoin: deploy with deployLocal()");
    const role: DevRole = "deployer";
    if (
      regulated.roles.blacklister !== account(role).address ||
      regulated.roles.pauser !== account(role).address
    )
      throw new Error("the RegulatedStablecoin's blacklister and pauser are not the deployer dev account");
    return role;
  }

  function sendIssuer(functionName: string, args: unknown[]): Promise<Sent> {
    return send(issuerRole(), {
      address: regulated!.address,
      abi: regulatedStablecoinAbi,
      functionName,
      args,
    });
  }

  return {
    chain,
    publicClient,
    escrow,
    /** The default token (the TestStablecoin unless `options.token`). */
    token,
    /** The RegulatedStablecoin (issuer-controlled model behind its proxy), when deployed. */
    regulatedToken: regulated?.address,
    deployment,

    /** The RegulatedStablecoin's issuer: its blacklist and pause, sent from the dev account holding the roles. */
    issuer: {
      blacklist: (target: Address) => sendIssuer("blacklist", [target]),
      unBlacklist: (target: Address) => sendIssuer("unBlacklist", [target]),
      pause: () => sendIssuer("pause", []),
      unpause: () => sendIssuer("unpause", []),
      isBlacklisted: (target: Address): Promise<boolean> =>
        publicClient.readContract({
          address: regulated!.address,
          abi: regulatedStablecoinAbi,
          functionName: "isBlacklisted",
          args: [target],
        }),
    },

    /** The latest block's timestamp: chain time, which evm_increaseTime moves away from the wall clock. */
    async chainTime(): Promise<bigint> {
      return (await publicClient.getBlock()).timestamp;
    },

    /** Fresh terms for a new random order (`ord_...`), signed-ready; override any field. */
    async newTerms(overrides: Partial<PaymentTerms> = {}): Promise<PaymentTerms> {
      const now = (await publicClient.getBlock()).timestamp;
      return {
        orderId: onchainOrderId(`ord_${randomBytes(12).toString("hex")}`),
        merchant: account("merchant").address,
        token,
        amount: DEFAULT_AMOUNT,
        fee: DEFAULT_FEE,
        deadline: now + PAY_WINDOW_SECONDS,
        escrowPeriod: DEFAULT_ESCROW_PERIOD,
        operator: operator.address,
        ...overrides,
      };
    },

    /** The operator's EIP-712 signature over `terms` (what the API puts in a checkout link). */
    signTerms: sign,

    paymentIdOf(terms: PaymentTerms): Hex {
      return paymentIdOf(terms.operator, terms.orderId);
    },

    /** Allowance: `approve` (exactly the amount, unless the allowance covers it) then `pay`, from `payer`. */
    async payByAllowance(terms: PaymentTerms, payer: DevRole = "customer"): Promise<Paid> {
      return paid(await payByAllowance(await payParameters(terms, payer, false)), terms);
    },

    /** EIP-2612: one `payWithPermit` transaction carrying the payer's permit signature. */
    async payByPermit(terms: PaymentTerms, payer: DevRole = "customer"): Promise<Paid> {
      return paid(await payByPermit(await payParameters(terms, payer, true)), terms);
    },

    /**
     * DAI's permit (a DAI-like token, e.g. `deployment.contracts.DaiLike`): one `payWithDaiPermit`
     * transaction carrying the payer's DAI permit, which leaves the escrow an unlimited allowance.
     */
    async payByDaiPermit(terms: PaymentTerms, payer: DevRole = "customer"): Promise<Paid> {
      return paid(await payByDaiPermit(await payParameters(terms, payer, true)), terms);
    },

    /**
     * ERC-3009: the payer signs `receiveWithAuthorization` to the escrow with nonce = termsDigest(terms)
     * (binding it to this order); `relayer` submits it and pays the gas.
     */
    async payByAuthorization(
      terms: PaymentTerms,
      payer: DevRole = "customer",
      relayer: DevRole = "keeper",
    ): Promise<Paid> {
      const parameters = { ...(await payParameters(terms, payer, true)), relayer: wallet(relayer) };
      return paid(await payByAuthorization(parameters), terms);
    },

    /** Fiat-funded: the treasury approves and pays on the customer's behalf; refunds go to the bridge. */
    async payOnBehalf(terms: PaymentTerms): Promise<Paid> {
      const signature = await sign(terms);
      const treasury = wallet("treasury");
      await approveIfNeeded({
        publicClient,
        wallet: treasury,
        token: terms.token,
        spender: escrow,
        amount: terms.amount,
      });
      const sent = await sendEscrow("treasury", "payOnBehalf", [terms, signature, account("bridge").address]);
      return paid(paidFromReceipt(escrow, terms, sent.hash, sent.receipt), terms);
    },

    /** Release to the merchant; before `releaseAfter` only the merchant or operator may (early release). */
    release(record: PaymentRecord, caller: DevRole = "merchant"): Promise<Sent> {
      return sendEscrow(caller, "release", [record]);
    },

    /** The keeper's batch release: payments that cannot be released now are skipped, not reverted. */
    releaseBatch(records: PaymentRecord[], caller: DevRole = "keeper"): Promise<Sent> {
      return sendEscrow(caller, "releaseBatch", [records]);
    },

    refund(record: PaymentRecord, amount: bigint, caller: DevRole = "merchant"): Promise<Sent> {
      return sendEscrow(caller, "refund", [record, amount]);
    },

    /** The payer disputes (before `releaseAfter`). */
    dispute(record: PaymentRecord, payer: DevRole = "customer"): Promise<Sent> {
      return sendEscrow(payer, "dispute", [record]);
    },

    setHold(record: PaymentRecord, held: boolean): Promise<Sent> {
      return sendEscrow("operator", "setHold", [record, held]);
    },

    /** The arbiter splits what remains: `refundAmount` to refundTo, the rest to the merchant net of fee. */
    resolve(record: PaymentRecord, refundAmount: bigint): Promise<Sent> {
      return sendEscrow("arbiter", "resolve", [record, refundAmount]);
    },

    /**
     * Pays `recipient`'s credit (payouts its token refused) to `recipient` itself: the escrow pays a credit
     * to no other address. Anyone may trigger it; by default the keeper, as the API's sweep would.
     */
    withdraw(tokenAddress: Address, recipient: Address, caller: DevRole = "keeper"): Promise<Sent> {
      return sendEscrow(caller, "withdraw", [tokenAddress, recipient]);
    },

    /** Any contract call from a dev account, receipt checked (e.g. a mock token's admin functions). */
    send,

    /** A viem wallet client for a dev account on this chain. */
    wallet,

    /** Token balance in smallest units. */
    balanceOf(account: Address, tokenAddress: Address = token): Promise<bigint> {
      return publicClient.readContract({
        address: tokenAddress,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [account],
      });
    },

    /** Lets `role` pay many times by allowance without an approve per payment (benchmarks). */
    approveUnlimited(role: DevRole): Promise<Sent> {
      return send(role, {
        address: token,
        abi: erc20Abi,
        functionName: "approve",
        args: [escrow, maxUint256],
      });
    },

    /** `pay` alone, for a payer that already approved enough (see approveUnlimited). */
    async payApproved(terms: PaymentTerms, payer: DevRole = "customer"): Promise<Paid> {
      const sent = await sendEscrow(payer, "pay", [...payArgs(terms, await sign(terms))]);
      return paid(paidFromReceipt(escrow, terms, sent.hash, sent.receipt), terms);
    },
  };

  /** The token's EIP-712 domain (contracts/lib/typedData.ts), read once per token of this harness. */
  async function tokenDomain(address: Address): Promise<TokenDomain> {
    let known = domains.get(address);
    if (!known) {
      known = await readTokenDomain(publicClient, { token: address, chainId: deployment.chainId });
      if (!known) throw new Error(`token ${address} reports no EIP-712 domain`);
      domains.set(address, known);
    }
    return known;
  }
}

const accountCache = new Map<DevRole, ReturnType<typeof devAccount>>();

/**
 * A dev account by role, derived once: deriving from the mnemonic runs 2,048 PBKDF2 rounds in
 * JavaScript (tens of milliseconds), far too slow to repeat for every transaction.
 */
export function account(role: DevRole): ReturnType<typeof devAccount> {
  const cached = accountCache.get(role);
  if (cached) return cached;
  const derived = devAccount(role);
  accountCache.set(role, derived);
  return derived;
}

/** PaymentEscrow events among a receipt's logs (other contracts' logs, e.g. token transfers, dropped). */
export function escrowEvents(logs: Log[]): EscrowEvent[] {
  return parseEventLogs({ abi: paymentEscrowAbi, logs });
}

// ------------------------------------------------------------------------------------------------------
// Chain control (Hardhat JSON-RPC): snapshots for reorgs, mining and time travel.
// ------------------------------------------------------------------------------------------------------

/** Snapshot of the chain's state; evmRevert(id) goes back to it (once). */
export function evmSnapshot(rpcUrl: string): Promise<Hex> {
  return rpc<Hex>(rpcUrl, "evm_snapshot");
}

export async function evmRevert(rpcUrl: string, snapshotId: Hex): Promise<void> {
  const ok = await rpc<boolean>(rpcUrl, "evm_revert", [snapshotId]);
  if (!ok) throw new Error(`evm_revert(${snapshotId}) failed`);
}

/**
 * Mines `blocks` empty blocks, one `evm_mine` each. Not `hardhat_mine`: asked for 8 blocks or more, the Hardhat
 * node hands out the middle ones with a zero parentHash, which breaks the hash chain the indexer follows
 * (Ponder takes it for a reorg reaching past genesis and stalls retrying).
 */
export async function evmMine(rpcUrl: string, blocks = 1): Promise<void> {
  for (let i = 0; i < blocks; i++) await rpc(rpcUrl, "evm_mine");
}

/** Moves chain time forward; it takes effect in the next mined block. */
export async function evmIncreaseTime(rpcUrl: string, seconds: number | bigint): Promise<void> {
  await rpc(rpcUrl, "evm_increaseTime", [Number(seconds)]);
}

/** Turns automatic mining (one block per transaction) off or on; off lets many transactions share a block. */
export async function evmSetAutomine(rpcUrl: string, on: boolean): Promise<void> {
  await rpc(rpcUrl, "evm_setAutomine", [on]);
}

export async function blockNumber(rpcUrl: string): Promise<bigint> {
  return BigInt(await rpc<Hex>(rpcUrl, "eth_blockNumber"));
}

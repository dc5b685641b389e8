/**
 * The local chain: JSON-RPC calls, chain time, time travel, and paying an order's signed terms from a
 * well-known dev account (allowance, EIP-2612 permit or ERC-3009, through @pier/contracts/payTerms), as
 * the hosted checkout would.
 */
import type { Checkout } from "@pier/client";
import { paymentEscrowAbi } from "@pier/contracts/abis";
import { type DevRole, devAccount } from "@pier/contracts/accounts";
import { isLocalChain, LOCAL_CHAIN_IDS } from "@pier/contracts/chains";
import { type PayMethod, payTerms, type TermsPaid } from "@pier/contracts/payTerms";
import type { PaymentRecord, PaymentTerms } from "@pier/contracts/terms";
import {
  InvalidTermsJsonError,
  type PaymentRecordJson,
  type PaymentTermsJson,
  paymentRecordFromJson,
  paymentTermsFromJson,
} from "@pier/contracts/termsJson";
import { type Address, createPublicClient, createWalletClient, erc20Abi, type Hex, http } from "viem";
import { CliError, DEV_CHAINS, explicitRpcUrl, type Globals, perChainRpcUrls } from "./context.ts";

export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new CliError(`the chain at ${url} does not answer (is ./scripts/dev running? PIER_RPC_URL?)`, 1);
  }
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new CliError(`${method}: ${body.error.message}`);
  return body.result as T;
}

export async function chainId(url: string): Promise<number> {
  return Number.parseInt(await rpc<string>(url, "eth_chainId"), 16);
}

export async function latestBlock(url: string): Promise<{ number: number; timestamp: number }> {
  const b = await rpc<{ number: string; timestamp: string }>(url, "eth_getBlockByNumber", ["latest", false]);
  return { number: Number.parseInt(b.number, 16), timestamp: Number.parseInt(b.timestamp, 16) };
}

export async function chainTime(url: string): Promise<number> {
  return (await latestBlock(url)).timestamp;
}

/** Moves chain time forward by `seconds` and mines a block carrying it. Local chains only. */
export async function timeTravel(
  url: string,
  seconds: number,
): Promise<{ number: number; timestamp: number }> {
  await requireLocalChain(url);
  await rpc(url, "evm_increaseTime", [seconds]);
  await rpc(url, "evm_mine");
  return latestBlock(url);
}

async function requireLocalChain(url: string): Promise<number> {
  const id = await chainId(url);
  if (!isLocalChain(id))
    throw new CliError(
      `chain ${id} at ${url} is not a local chain (${LOCAL_CHAIN_IDS.join(", ")}): refusing to use dev accounts or time travel`,
    );
  return id;
}

/**
 * The RPC URL of chain `id`: PIER_RPC_URL_<id>; else --rpc-url/PIER_RPC_URL when it serves that chain; else,
 * when no URL was given at all, the dev stack's node for it (8545 for 31337, 8546 for 1337). A URL that was
 * given but serves another chain is never swapped for a default: that could be someone else's node.
 */
export async function rpcUrlForChain(g: Globals, id: number): Promise<string> {
  const own = perChainRpcUrls().get(id);
  if (own) return own;
  const given = explicitRpcUrl(g);
  if (given) {
    const served = await chainId(given);
    if (served === id) return given;
    throw new CliError(
      `${g.rpcUrl ? "--rpc-url" : "PIER_RPC_URL"} ${given} serves chain ${served}, not ${id}: set PIER_RPC_URL_${id} for chain ${id}`,
    );
  }
  const dev = DEV_CHAINS.find((c) => c.chainId === id);
  if (!dev) throw new CliError(`no RPC URL for chain ${id}: set PIER_RPC_URL_${id} or --rpc-url`);
  return dev.rpcUrl;
}

/**
 * Every local chain the CLI knows of, for time travel: the given URL (or dev chain A), every
 * PIER_RPC_URL_<id>, and, when no URL was given, dev chain B if it answers (PIER_DEV_CHAINS=1 runs
 * without it).
 */
export async function localChainUrls(g: Globals): Promise<string[]> {
  const given = explicitRpcUrl(g);
  const required = [given ?? DEV_CHAINS[0]!.rpcUrl, ...perChainRpcUrls().values()];
  const optional = given ? [] : DEV_CHAINS.slice(1).map((c) => c.rpcUrl);
  const urls = [...new Set(required)];
  for (const url of optional) {
    if (urls.includes(url)) continue;
    if (await chainId(url).catch(() => undefined)) urls.push(url);
  }
  return urls;
}

/** The order's terms, or a CliError saying what the API sent that is not valid terms. */
function termsOf(checkout: Checkout): PaymentTerms {
  return fromJson(checkout.id, () => paymentTermsFromJson(checkout.terms as PaymentTermsJson));
}

function fromJson<T>(orderId: string, convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    if (error instanceof InvalidTermsJsonError) throw new CliError(`order ${orderId}: ${error.message}`);
    throw error;
  }
}

/** Clients on the order's chain (a local one: dev accounts are refused anywhere else). */
async function clientsFor(url: string, checkout: Checkout) {
  const served = await requireLocalChain(url);
  if (!isLocalChain(checkout.chain_id))
    throw new CliError(`order ${checkout.id} is on chain ${checkout.chain_id}, not a local chain`);
  if (served !== checkout.chain_id)
    throw new CliError(
      `order ${checkout.id} is on chain ${checkout.chain_id} but ${url} serves chain ${served}: set PIER_RPC_URL_${checkout.chain_id}`,
    );
  const transport = http(url);
  return {
    publicClient: createPublicClient({ transport, pollingInterval: 100 }),
    wallet: (role: DevRole) => createWalletClient({ account: devAccount(role), transport }),
  };
}

function failed(what: string, checkout: Checkout, error: unknown): CliError {
  if (error instanceof CliError) return error;
  const short = (error as { shortMessage?: string }).shortMessage;
  return new CliError(`${what} ${checkout.id} failed: ${short ?? (error as Error).message}`);
}

/**
 * Pays the order's signed terms from dev account `payer` with `method`; an authorization is relayed by the
 * dev keeper account, so the payer spends no gas.
 */
export async function payCheckout(
  url: string,
  checkout: Checkout,
  method: PayMethod,
  payer: DevRole,
): Promise<TermsPaid> {
  const terms = termsOf(checkout);
  const { publicClient, wallet } = await clientsFor(url, checkout);
  const payerWallet = wallet(payer);
  const balance = await publicClient.readContract({
    address: terms.token,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [payerWallet.account.address],
  });
  if (balance < terms.amount)
    throw new CliError(`dev account ${payer} holds ${balance} token units, the order needs ${terms.amount}`);
  try {
    return await payTerms(method, {
      publicClient,
      wallet: payerWallet,
      relayer: method === "authorization" ? wallet("keeper") : undefined,
      escrow: checkout.escrow as Address,
      terms,
      operatorSignature: checkout.signature as Hex,
    });
  } catch (error) {
    throw failed("paying", checkout, error);
  }
}

/** The escrow's Payment record of a paid order (for dispute). */
function recordOf(checkout: Checkout): PaymentRecord {
  const r = checkout.payment_record;
  if (!r) throw new CliError(`order ${checkout.id} has no payment on chain yet`);
  return fromJson(checkout.id, () => paymentRecordFromJson(r as PaymentRecordJson));
}

/** Dev account `payer` (the one that paid) opens a dispute on the paid order; resolves with the tx hash. */
export async function disputeCheckout(
  url: string,
  checkout: Checkout,
  payer: DevRole,
): Promise<{ hash: Hex }> {
  const record = recordOf(checkout);
  const { publicClient, wallet } = await clientsFor(url, checkout);
  try {
    const hash = await wallet(payer).writeContract({
      chain: null,
      address: checkout.escrow as Address,
      abi: paymentEscrowAbi,
      functionName: "dispute",
      args: [record],
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new CliError(`dispute of ${checkout.id} reverted (tx ${hash})`);
    return { hash };
  } catch (error) {
    throw failed("disputing", checkout, error);
  }
}

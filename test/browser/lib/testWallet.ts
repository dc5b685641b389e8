/**
 * A scriptable customer wallet for browser tests: the page gets an injected EIP-1193 provider
 * (injectedWallet.ts); this Node half signs with the dev `customer` account (viem local account) and sends
 * its transactions, forwards reads to the chain's RPC, and records every request so tests can count the
 * prompts. Behaviours on demand: reject the next N signatures or transactions (EIP-1193 4001), refuse
 * eth_signTypedData_v4 altogether (4200), sign like a smart-contract account (a wrapped, longer
 * signature), start on another chain, know or not know the order's chain, be on any of several chains
 * (moreChains: each with its own node).
 */
import type { BrowserContext } from "playwright-core";
import {
  createWalletClient,
  defineChain,
  encodeAbiParameters,
  type Hex,
  http,
  type TypedDataDefinition,
} from "viem";
import { type DevRole, devAccount } from "../../../contracts/lib/accounts.ts";
import { type InjectedWalletOptions, installInjectedWallet } from "./injectedWallet.ts";

export interface TestWalletOptions {
  rpcUrl: string;
  chainId: number;
  /**
   * More chains the wallet can be on (a checkout with options on several networks): reads and
   * transactions go to the node of whichever chain the wallet is on. `rpcUrl`/`chainId` are always one.
   */
  moreChains?: { chainId: number; rpcUrl: string }[];
  role?: DevRole;
  /** The chain the wallet is on when the page opens (default: the order's chain). */
  startChainId?: number;
  /** Chains the wallet can switch to without adding them (default: start chain + order's chain). */
  knownChainIds?: number[];
  announce?: boolean;
  legacy?: boolean;
  name?: string;
  rejectSignatures?: number;
  rejectTransactions?: number;
  refuseTypedData?: boolean;
  /**
   * Sign typed data the way a smart-contract account does: an ERC-1271 wrapper (owner index + the owner's
   * signature, ABI-encoded, as Coinbase Smart Wallet returns), not a plain 65-byte signature.
   */
  smartAccountSignatures?: boolean;
  /**
   * The account is this smart-contract wallet (a MockSmartWallet owned by the role's key): the page sees
   * its address, typed data is signed by the owner key (the wallet vouches for it through ERC-1271), and
   * it sends no transactions of its own (eth_sendTransaction is refused, as a wallet without gas would).
   */
  smartWallet?: Hex;
  /** The site is already connected (a returning customer): the page may reconnect without a click. */
  preauthorized?: boolean;
}

export interface WalletRequest {
  method: string;
  params: unknown[];
  /** What the wallet answered: "ok", "rejected", "refused" or "error". */
  outcome: "ok" | "rejected" | "refused" | "error";
}

export interface TestWallet {
  address: Hex;
  requests: WalletRequest[];
  /** Requests that would show the customer a prompt (signatures, transactions, network changes). */
  prompts(): WalletRequest[];
  rejectSignatures: number;
  rejectTransactions: number;
}

const PROMPTS = new Set([
  "eth_signTypedData_v4",
  "personal_sign",
  "eth_sendTransaction",
  "wallet_switchEthereumChain",
  "wallet_addEthereumChain",
]);

/** Installs the wallet in every page of `context`; call before the first navigation. */
export async function installTestWallet(
  context: BrowserContext,
  opts: TestWalletOptions,
): Promise<TestWallet> {
  const account = devAccount(opts.role ?? "customer");
  const chain = defineChain({
    id: opts.chainId,
    name: "test chain",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [opts.rpcUrl] } },
  });
  // One RPC and wallet client per chain the wallet can be on: the order's, then `moreChains`.
  const nodes = new Map<number, { rpcUrl: string; client: ReturnType<typeof createWalletClient> }>();
  for (const c of [{ chainId: opts.chainId, rpcUrl: opts.rpcUrl }, ...(opts.moreChains ?? [])]) {
    const def =
      c.chainId === opts.chainId
        ? chain
        : defineChain({ ...chain, id: c.chainId, rpcUrls: { default: { http: [c.rpcUrl] } } });
    nodes.set(c.chainId, {
      rpcUrl: c.rpcUrl,
      client: createWalletClient({ account, chain: def, transport: http(c.rpcUrl) }),
    });
  }
  const wallet: TestWallet = {
    address: opts.smartWallet ?? account.address,
    requests: [],
    prompts: () => wallet.requests.filter((r) => PROMPTS.has(r.method)),
    rejectSignatures: opts.rejectSignatures ?? 0,
    rejectTransactions: opts.rejectTransactions ?? 0,
  };

  async function handle(
    method: string,
    params: unknown[],
    walletChainId: number,
  ): Promise<{ result?: unknown; error?: unknown }> {
    const record = (outcome: WalletRequest["outcome"]) => wallet.requests.push({ method, params, outcome });
    const rejected = () => {
      record("rejected");
      return { error: { code: 4001, message: "User rejected the request." } };
    };
    switch (method) {
      case "wallet_switchEthereumChain":
      case "wallet_addEthereumChain":
        record("ok");
        return { result: null };
      case "eth_signTypedData_v4": {
        if (opts.refuseTypedData) {
          record("refused");
          return { error: { code: 4200, message: "The wallet does not support eth_signTypedData_v4." } };
        }
        if (wallet.rejectSignatures > 0) {
          wallet.rejectSignatures--;
          return rejected();
        }
        const typedData = JSON.parse(params[1] as string) as TypedDataDefinition;
        record("ok");
        const signature = await account.signTypedData(typedData);
        if (!opts.smartAccountSignatures) return { result: signature };
        return { result: encodeAbiParameters([{ type: "uint8" }, { type: "bytes" }], [0, signature]) };
      }
      case "personal_sign":
        record("ok");
        return { result: await account.signMessage({ message: { raw: params[0] as Hex } }) };
      case "eth_sendTransaction": {
        if (opts.smartWallet) {
          record("refused");
          return { error: { code: 4200, message: "This test wallet sends no transactions." } };
        }
        if (wallet.rejectTransactions > 0) {
          wallet.rejectTransactions--;
          return rejected();
        }
        const node = nodes.get(walletChainId);
        if (!node) {
          record("error");
          return { error: { code: 4901, message: `The wallet is on chain ${walletChainId}.` } };
        }
        const tx = params[0] as { to: Hex; data?: Hex; value?: Hex; gas?: Hex };
        try {
          const hash = await node.client.sendTransaction({
            account,
            chain: node.client.chain,
            to: tx.to,
            data: tx.data,
            value: tx.value ? BigInt(tx.value) : undefined,
            gas: tx.gas ? BigInt(tx.gas) : undefined,
          });
          record("ok");
          return { result: hash };
        } catch (error) {
          record("error");
          const e = error as { shortMessage?: string; message: string; cause?: { data?: unknown } };
          return { error: { code: -32603, message: e.shortMessage ?? e.message, data: e.cause?.data } };
        }
      }
      default: {
        // Reads go to the node of the chain the wallet is on (a chain it has no node for: the first).
        const res = await fetch((nodes.get(walletChainId) ?? nodes.get(opts.chainId)!).rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        });
        const body = (await res.json()) as { result?: unknown; error?: unknown };
        return body.error ? { error: body.error } : { result: body.result };
      }
    }
  }

  await context.exposeFunction("__pierWallet", async (payload: string) => {
    const { method, params, chainId } = JSON.parse(payload) as {
      method: string;
      params: unknown[];
      chainId: number;
    };
    return JSON.stringify(await handle(method, params, chainId));
  });
  const startChainId = opts.startChainId ?? opts.chainId;
  const injected: InjectedWalletOptions = {
    address: wallet.address,
    chainId: startChainId,
    knownChainIds: opts.knownChainIds ?? [...new Set([startChainId, opts.chainId])],
    name: opts.name ?? "Pier Test Wallet",
    rdns: "dev.pier.testwallet",
    announce: opts.announce ?? true,
    legacy: opts.legacy ?? false,
    preauthorized: opts.preauthorized ?? false,
  };
  // A source string, not the function: TypeScript runners (tsx) may wrap functions in a `__name` helper
  // that does not exist in the page.
  await context.addInitScript({
    content: `(() => { const __name = (f) => f; (${installInjectedWallet.toString()})(${JSON.stringify(injected)}); })();`,
  });
  return wallet;
}

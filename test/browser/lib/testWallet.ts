/**
 * A scriptable customer wallet for browser tests: the page gets an injected EIP-1193 provider
 * (injectedWallet.ts); this Node half signs with the dev `customer` account (viem local account) and sends
 * its transactions, forwards reads to the chain's RPC, and records every request so tests can count the
 * prompts. Behaviours on demand: reject the next N signatures or transactions (EIP-1193 4001), refuse
 * eth_signTypedData_v4 altogether (4200), sign like a smart-contract account (a wrapped, longer
 * signature), start on another chain, know or not know the order's chain, be on any of several chains
 * (moreChains: each with its own node).
 *
 * EIP-5792 on demand (`capabilities`, for a `smartWallet`): wallet_getCapabilities reports an atomic batch
 * and optionally a paymaster service; wallet_sendCalls runs the calls as one MockSmartWallet batch, sent by
 * the owner key (which pays the gas) or, when the app names an ERC-7677 paymaster service, after asking that
 * service for sponsorship (pm_getPaymasterStubData, pm_getPaymasterData) and then submitted with the owner's
 * signature by a bundler key (the deployer's), so neither the wallet nor its owner pays gas. Without
 * `capabilities` the wallet answers the EIP-5792 methods as unsupported (4200), like most wallets today.
 */
import type { BrowserContext } from "playwright-core";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  http,
  numberToHex,
  serializeErc6492Signature,
  type TypedDataDefinition,
} from "viem";
import { mockSmartWalletAbi } from "../../../contracts/generated/abis.ts";
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
  /**
   * EIP-5792 capabilities of the `smartWallet` on the order's chain: `atomic` batches (wallet_sendCalls), and
   * with `paymaster` the ERC-7677 `paymasterService` capability.
   */
  capabilities?: { atomic: boolean; paymaster?: boolean };
  /**
   * The `smartWallet` is not deployed yet (an ERC-4337 account before its first transaction): typed data is
   * signed by the owner key and wrapped in ERC-6492 with this factory call, which deploys it.
   */
  erc6492?: { factory: Hex; factoryData: Hex };
  /** The site is already connected (a returning customer): the page may reconnect without a click. */
  preauthorized?: boolean;
}

interface SendCallsRequest {
  calls: { to: Hex; data?: Hex; value?: Hex }[];
  chainId: Hex;
  capabilities?: { paymasterService?: { url: string } };
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
  "wallet_sendCalls",
]);

/** ERC-4337 EntryPoint v0.7, which the paymaster service is asked about. */
const ENTRY_POINT_V07 = "0x0000000071727De22E5E9d8BAf0edAc6f37da032";

async function jsonRpc(url: string, method: string, params: unknown[]) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
}

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
  if (opts.capabilities && !opts.smartWallet)
    throw new Error("capabilities need a smartWallet to batch with");
  const orderChain = nodes.get(opts.chainId)!;
  const reader = createPublicClient({ chain, transport: http(opts.rpcUrl) });
  const bundler = createWalletClient({
    account: devAccount("deployer"),
    chain,
    transport: http(opts.rpcUrl),
  });
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
        if (opts.erc6492)
          return {
            result: serializeErc6492Signature({
              address: opts.erc6492.factory,
              data: opts.erc6492.factoryData,
              signature,
            }),
          };
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
      case "wallet_getCapabilities": {
        if (!opts.capabilities) {
          record("refused");
          return { error: { code: 4200, message: "The wallet does not support wallet_getCapabilities." } };
        }
        record("ok");
        const onChain: Record<string, unknown> = {
          atomic: { status: opts.capabilities.atomic ? "supported" : "unsupported" },
        };
        if (opts.capabilities.paymaster) onChain.paymasterService = { supported: true };
        return { result: { [numberToHex(opts.chainId)]: onChain } };
      }
      case "wallet_sendCalls":
        return sendCalls(params[0] as SendCallsRequest, record, rejected);
      case "wallet_getCallsStatus": {
        const id = params[0] as Hex;
        const receipt = await reader.request({ method: "eth_getTransactionReceipt", params: [id] });
        const status = !receipt ? 100 : receipt.status === "0x1" ? 200 : 500;
        const chainId = numberToHex(opts.chainId);
        return {
          result: { version: "2.0.0", id, chainId, atomic: true, status, receipts: receipt ? [receipt] : [] },
        };
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

  /** EIP-5792 wallet_sendCalls: the calls as one atomic MockSmartWallet batch (see the file's comment). */
  async function sendCalls(
    request: SendCallsRequest,
    record: (outcome: WalletRequest["outcome"]) => void,
    rejected: () => { error: unknown },
  ): Promise<{ result?: unknown; error?: unknown }> {
    if (!opts.capabilities?.atomic || !opts.smartWallet) {
      record("refused");
      return { error: { code: 4200, message: "The wallet does not support wallet_sendCalls." } };
    }
    if (wallet.rejectTransactions > 0) {
      wallet.rejectTransactions--;
      return rejected();
    }
    const calls = request.calls.map((c) => ({ target: c.to, data: c.data ?? "0x" }));
    const smartWallet = opts.smartWallet;
    const paymasterUrl = request.capabilities?.paymasterService?.url;
    try {
      let hash: Hex;
      if (paymasterUrl) {
        if (!opts.capabilities.paymaster) {
          record("refused");
          return { error: { code: 5700, message: "The wallet does not support paymasterService." } };
        }
        const callData = encodeFunctionData({
          abi: mockSmartWalletAbi,
          functionName: "executeBatch",
          args: [calls],
        });
        const nonce = await reader.readContract({
          address: smartWallet,
          abi: mockSmartWalletAbi,
          functionName: "nonce",
        });
        const userOp = { sender: smartWallet, nonce: numberToHex(nonce), callData };
        for (const method of ["pm_getPaymasterStubData", "pm_getPaymasterData"]) {
          const answer = await jsonRpc(paymasterUrl, method, [userOp, ENTRY_POINT_V07, request.chainId, {}]);
          if (answer.error) {
            record("error");
            return { error: { code: -32603, message: `The paymaster refused: ${answer.error.message}` } };
          }
        }
        const digest = await reader.readContract({
          address: smartWallet,
          abi: mockSmartWalletAbi,
          functionName: "batchDigest",
          args: [calls, nonce],
        });
        const signature = await account.sign!({ hash: digest });
        hash = await bundler.writeContract({
          address: smartWallet,
          abi: mockSmartWalletAbi,
          functionName: "executeBatchSigned",
          args: [calls, signature],
          account: bundler.account,
          chain: bundler.chain,
        });
      } else {
        hash = await orderChain.client.writeContract({
          address: smartWallet,
          abi: mockSmartWalletAbi,
          functionName: "executeBatch",
          args: [calls],
          account,
          chain: orderChain.client.chain,
        });
      }
      record("ok");
      return { result: { id: hash } };
    } catch (error) {
      record("error");
      const e = error as { shortMessage?: string; message: string };
      return { error: { code: -32603, message: e.shortMessage ?? e.message } };
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

/**
 * Signers whose keys live in a remote signer (Web3Signer in eth1 mode, or anything that speaks the
 * same JSON-RPC methods) instead of the API's environment. Each configured address becomes a viem
 * custom account (`toAccount`) whose methods call the signer:
 *
 * - transactions: `eth_signTransaction` with one EIP-1559 transaction object (`from`, `to`, `data`,
 *   `value`, `gas`, `nonce`, `chainId`, `type: "0x2"`, `maxFeePerGas`, `maxPriorityFeePerGas`, hex
 *   quantities); the answer is the signed raw transaction (Clef's `{ raw, tx }` is accepted too);
 * - typed data (payment terms): `eth_signTypedData_v4` with `[address, JSON of the typed data]`, the
 *   `EIP712Domain` type included;
 * - messages (nothing in Pier signs one today): `eth_sign` with `[address, hex data]` (EIP-191).
 *
 * Every answer is checked before it is used: a signed transaction must decode to exactly what was asked
 * (chain, nonce, fees, gas, target, data, value) and recover to the address, a signature must recover
 * to the address. A signer configured for another chain or another key is therefore caught at the
 * first signature, not by a transaction that goes astray. Every call has a timeout; errors name the
 * signer's URL (never its Authorization header) and the JSON-RPC error.
 */
import {
  type Address,
  getAddress,
  getTypesForEIP712Domain,
  type Hex,
  isHex,
  type LocalAccount,
  numberToHex,
  parseTransaction,
  recoverMessageAddress,
  recoverTransactionAddress,
  recoverTypedDataAddress,
  type SignableMessage,
  serializeTypedData,
  type TransactionSerializable,
  type TypedDataDefinition,
  toHex,
} from "viem";
import { toAccount } from "viem/accounts";
import { ConfigError } from "../lib/env.ts";

/** A call to the remote signer failed: unreachable, timed out, a JSON-RPC error or a bad answer. */
export class RemoteSignerError extends Error {
  override name = "RemoteSignerError";
}

export interface RemoteSignerOptions {
  url: string;
  /** The Authorization header value (PIER_SIGNER_AUTH). */
  auth?: string;
  timeoutMs: number;
}

export interface RemoteSigner {
  url: string;
  /** One JSON-RPC call; throws RemoteSignerError. */
  request<T>(method: string, params: unknown[]): Promise<T>;
  /** eth_accounts, checksummed. */
  accounts(): Promise<Address[]>;
  /** A viem account that signs for `address` through this signer. */
  account(address: Address): LocalAccount;
}

export function createRemoteSigner(options: RemoteSignerOptions): RemoteSigner {
  const { url, auth, timeoutMs } = options;
  let id = 0;
  const request = async <T>(method: string, params: unknown[]): Promise<T> => {
    const where = `remote signer ${url}: ${method}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === "TimeoutError";
      throw new RemoteSignerError(
        timedOut ? `${where} timed out after ${timeoutMs} ms` : `${where} failed: ${describe(cause)}`,
        { cause },
      );
    }
    let body: { result?: unknown; error?: { code?: number; message?: string; data?: unknown } };
    try {
      body = (await res.json()) as typeof body;
    } catch (cause) {
      throw new RemoteSignerError(`${where} answered HTTP ${res.status} without a JSON-RPC body`, { cause });
    }
    if (body.error) {
      const { code, message } = body.error;
      throw new RemoteSignerError(
        `${where} refused: JSON-RPC error ${code ?? "?"}: ${message ?? "no message"}`,
      );
    }
    if (!res.ok || body.result === undefined)
      throw new RemoteSignerError(`${where} answered HTTP ${res.status} without a result`);
    return body.result as T;
  };

  const accounts = async () => {
    const list = await request<unknown>("eth_accounts", []);
    if (!Array.isArray(list) || !list.every((a) => typeof a === "string" && isHex(a) && a.length === 42))
      throw new RemoteSignerError(`remote signer ${url}: eth_accounts did not return a list of addresses`);
    return list.map((a) => getAddress(a));
  };

  const account = (address: Address): LocalAccount => {
    const who = getAddress(address);
    const mismatch = (what: string, signer: string) =>
      new RemoteSignerError(`remote signer ${url}: ${what} recovers to ${signer}, not ${who}`);
    return toAccount({
      address: who,
      async signMessage({ message }) {
        const data = typeof message === "string" ? toHex(message) : rawOf(message);
        const signature = await request<Hex>("eth_sign", [who, data]);
        const signer = await recoverMessageAddress({ message, signature: hexResult(signature, "eth_sign") });
        if (signer !== who) throw mismatch("the eth_sign signature", signer);
        return signature;
      },
      async signTransaction(transaction) {
        const raw = await request<unknown>("eth_signTransaction", [toRpcTransaction(who, transaction)]);
        const signed = hexResult(
          typeof raw === "object" && raw !== null && "raw" in raw ? (raw as { raw: unknown }).raw : raw,
          "eth_signTransaction",
        );
        const problem = await checkSignedTransaction(signed, who, transaction);
        if (problem) throw new RemoteSignerError(`remote signer ${url}: eth_signTransaction ${problem}`);
        return signed;
      },
      async signTypedData(definition) {
        const typed = definition as TypedDataDefinition;
        const json = serializeTypedData({
          ...typed,
          types: { EIP712Domain: getTypesForEIP712Domain({ domain: typed.domain }), ...typed.types },
        } as unknown as TypedDataDefinition);
        const signature = hexResult(
          await request<unknown>("eth_signTypedData_v4", [who, json]),
          "eth_signTypedData_v4",
        );
        const signer = await recoverTypedDataAddress({ ...typed, signature });
        if (signer !== who) throw mismatch("the eth_signTypedData_v4 signature", signer);
        return signature;
      },
    });
  };

  function hexResult(value: unknown, method: string): Hex {
    if (typeof value !== "string" || !isHex(value) || value.length < 4)
      throw new RemoteSignerError(`remote signer ${url}: ${method} did not return hex data`);
    return value;
  }

  return { url, request, accounts, account };
}

/**
 * At boot: the signer must hold every configured address. Throws a ConfigError naming the missing
 * roles and addresses, or the signer's URL when it cannot be asked at all.
 */
export async function verifyRemoteAccounts(
  signer: RemoteSigner,
  roles: { role: string; address: Address }[],
): Promise<void> {
  if (roles.length === 0) return;
  let known: Address[];
  try {
    known = await signer.accounts();
  } catch (cause) {
    throw new ConfigError(`cannot list the accounts of the remote signer PIER_SIGNER_URL=${signer.url}`, {
      cause,
    });
  }
  const held = new Set(known.map((a) => a.toLowerCase()));
  const missing = roles.filter((r) => !held.has(r.address.toLowerCase()));
  if (missing.length > 0)
    throw new ConfigError(
      `the remote signer PIER_SIGNER_URL=${signer.url} does not hold ${missing
        .map((r) => `${r.role} ${getAddress(r.address)}`)
        .join(", ")} (eth_accounts lists ${known.length === 0 ? "none" : known.join(", ")})`,
    );
}

/** The eth_signTransaction object Web3Signer and Clef expect: an EIP-1559 transaction, hex quantities. */
function toRpcTransaction(from: Address, tx: TransactionSerializable): Record<string, string> {
  if (tx.type !== "eip1559" || tx.maxFeePerGas === undefined || tx.maxPriorityFeePerGas === undefined)
    throw new RemoteSignerError(
      `the remote signer only signs EIP-1559 transactions with both fees set (got type ${tx.type ?? "unset"})`,
    );
  if (tx.nonce === undefined || tx.gas === undefined || tx.chainId === undefined)
    throw new RemoteSignerError("a transaction for the remote signer needs its nonce, gas and chainId");
  const out: Record<string, string> = {
    from,
    data: tx.data ?? "0x",
    value: numberToHex(tx.value ?? 0n),
    gas: numberToHex(tx.gas),
    nonce: numberToHex(tx.nonce),
    chainId: numberToHex(tx.chainId),
    type: "0x2",
    maxFeePerGas: numberToHex(tx.maxFeePerGas),
    maxPriorityFeePerGas: numberToHex(tx.maxPriorityFeePerGas),
  };
  if (tx.to) out.to = tx.to;
  return out;
}

/** Why a signed transaction is not the one asked for, or undefined when it is. */
async function checkSignedTransaction(
  signed: Hex,
  who: Address,
  asked: TransactionSerializable,
): Promise<string | undefined> {
  let got: ReturnType<typeof parseTransaction>;
  try {
    got = parseTransaction(signed);
  } catch {
    return "returned bytes that are not a transaction";
  }
  const same = (a: unknown, b: unknown) => String(a ?? "").toLowerCase() === String(b ?? "").toLowerCase();
  const fields: [string, unknown, unknown][] = [
    ["type", got.type, asked.type],
    ["chainId", got.chainId, asked.chainId],
    ["nonce", got.nonce, asked.nonce],
    ["to", got.to, asked.to],
    ["data", got.data ?? "0x", asked.data ?? "0x"],
    ["value", got.value ?? 0n, asked.value ?? 0n],
    ["gas", got.gas, asked.gas],
    ["maxFeePerGas", got.maxFeePerGas, asked.maxFeePerGas],
    ["maxPriorityFeePerGas", got.maxPriorityFeePerGas, asked.maxPriorityFeePerGas],
  ];
  const differ = fields.filter(([, a, b]) => !same(a, b)).map(([name, a, b]) => `${name} ${a} (asked ${b})`);
  if (differ.length > 0) return `returned a different transaction: ${differ.join(", ")}`;
  const signer = await recoverTransactionAddress({ serializedTransaction: signed as never });
  if (signer !== who) return `returned a transaction signed by ${signer}, not ${who}`;
  return undefined;
}

function rawOf(message: Exclude<SignableMessage, string>): Hex {
  return typeof message.raw === "string" ? message.raw : toHex(message.raw);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

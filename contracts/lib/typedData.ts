/**
 * The EIP-712 typed data a payer signs for a token: an EIP-2612 `Permit` and an ERC-3009
 * `ReceiveWithAuthorization`, both in the token's own EIP-712 domain (read from the token with
 * readTokenDomain), and the `v, r, s` split of the resulting signature that the tokens' and the escrow's
 * functions take. Standards only: what Pier signs with them is in payTerms.ts.
 */
import { type Address, type Client, erc20Abi, type Hex, type TypedDataDomain } from "viem";
import { readContract } from "viem/actions";
import { eip5267Abi, tokenVersionAbi } from "./tokenAbi.ts";

/** EIP-2612 `Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)`. */
export const permitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/**
 * ERC-3009 `ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256
 * validBefore,bytes32 nonce)`: only `to` may submit it, so nobody can front-run it into a plain transfer.
 */
export const receiveWithAuthorizationTypes = {
  ReceiveWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

/** A token's EIP-712 domain, shared by its permit and its ERC-3009 authorizations. */
export type TokenDomain = TypedDataDomain;

export interface PermitMessage {
  owner: Address;
  spender: Address;
  value: bigint;
  nonce: bigint;
  /** The permit is usable while block.timestamp <= deadline (EIP-2612). */
  deadline: bigint;
}

export interface ReceiveWithAuthorizationMessage {
  from: Address;
  to: Address;
  value: bigint;
  /** Usable when validAfter < block.timestamp < validBefore (ERC-3009). */
  validAfter: bigint;
  validBefore: bigint;
  nonce: Hex;
}

/** The complete typed data of a permit, ready for any signTypedData (viem, wagmi, a wallet). */
export function permitTypedData(domain: TokenDomain, message: PermitMessage) {
  return { domain, types: permitTypes, primaryType: "Permit", message } as const;
}

/** The complete typed data of a `receiveWithAuthorization`. */
export function receiveWithAuthorizationTypedData(
  domain: TokenDomain,
  message: ReceiveWithAuthorizationMessage,
) {
  return {
    domain,
    types: receiveWithAuthorizationTypes,
    primaryType: "ReceiveWithAuthorization",
    message,
  } as const;
}

// EIP-5267 `fields` bits: which domain members the contract uses.
const FIELD_NAME = 0x01;
const FIELD_VERSION = 0x02;
const FIELD_CHAIN_ID = 0x04;
const FIELD_VERIFYING_CONTRACT = 0x08;
const FIELD_SALT = 0x10;

async function attempt<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

/**
 * The token's EIP-712 domain as the token itself reports it: EIP-5267's `eip712Domain()` (OpenZeppelin
 * tokens; only the members its `fields` name), else `name()` + `version()` with this chain and the token's
 * address (USDC, EURC and their models have no `eip712Domain`). Undefined when the token tells neither,
 * or reports a domain for another chain: then it has no usable permit or authorization. Read
 * it once per token and chain; nothing here caches.
 */
export async function readTokenDomain(
  client: Client,
  { token, chainId }: { token: Address; chainId: number },
): Promise<TokenDomain | undefined> {
  const reported = await attempt(() =>
    readContract(client, { address: token, abi: eip5267Abi, functionName: "eip712Domain" }),
  );
  if (reported) {
    const [fieldsHex, name, version, domainChainId, verifyingContract, salt] = reported;
    const fields = Number.parseInt(fieldsHex.slice(2), 16);
    const has = (bit: number) => (fields & bit) !== 0;
    if (has(FIELD_CHAIN_ID) && Number(domainChainId) !== chainId) return undefined;
    return {
      ...(has(FIELD_NAME) ? { name } : {}),
      ...(has(FIELD_VERSION) ? { version } : {}),
      ...(has(FIELD_CHAIN_ID) ? { chainId } : {}),
      ...(has(FIELD_VERIFYING_CONTRACT) ? { verifyingContract } : {}),
      ...(has(FIELD_SALT) ? { salt } : {}),
    };
  }
  const [name, version] = await Promise.all([
    attempt(() =>
      readContract(client, {
        address: token,
        abi: erc20Abi,
        functionName: "name",
      }),
    ),
    attempt(() => readContract(client, { address: token, abi: tokenVersionAbi, functionName: "version" })),
  ]);
  if (name === undefined || version === undefined) return undefined;
  return { name, version, chainId, verifyingContract: token };
}

/**
 * The wallet's signature is not a plain ECDSA signature (65 bytes, or 64 in EIP-2098 compact form): a
 * smart-contract account's ERC-1271 or ERC-6492 signature, which functions taking `v, r, s` cannot carry.
 * Pay another way (approve, then pay) or through a function that takes `bytes`.
 */
export class NotEcdsaSignatureError extends Error {
  override name = "NotEcdsaSignatureError";
  constructor(readonly bytes: number) {
    super(
      `The wallet's signature is ${bytes} bytes, not a 65-byte ECDSA signature: a smart-contract account's signature cannot be used here.`,
    );
  }
}

const HALF_MASK = (1n << 255n) - 1n;

/**
 * `v, r, s` of an ECDSA signature: 65 bytes `r ‖ s ‖ v` (v 27/28, or 0/1 as some wallets return it) or
 * 64 bytes EIP-2098 `r ‖ yParityAndS`. Anything else throws NotEcdsaSignatureError; nothing is guessed.
 */
export function splitSignature(signature: Hex): { v: number; r: Hex; s: Hex } {
  if (!/^0x[0-9a-fA-F]*$/.test(signature) || signature.length % 2 !== 0)
    throw new NotEcdsaSignatureError(Math.max(0, Math.floor((signature.length - 2) / 2)));
  const bytes = (signature.length - 2) / 2;
  const r = `0x${signature.slice(2, 66)}` as Hex;
  if (bytes === 65) {
    const raw = Number.parseInt(signature.slice(130, 132), 16);
    const v = raw < 27 ? raw + 27 : raw;
    if (v !== 27 && v !== 28) throw new NotEcdsaSignatureError(bytes);
    return { v, r, s: `0x${signature.slice(66, 130)}` };
  }
  if (bytes === 64) {
    const yParityAndS = BigInt(`0x${signature.slice(66, 130)}`);
    const s = `0x${(yParityAndS & HALF_MASK).toString(16).padStart(64, "0")}` as Hex;
    return { v: 27 + Number(yParityAndS >> 255n), r, s };
  }
  throw new NotEcdsaSignatureError(bytes);
}

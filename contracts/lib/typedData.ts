/**
 * The EIP-712 typed data a payer signs for a token: an EIP-2612 `Permit` and an ERC-3009
 * `ReceiveWithAuthorization`, both in the token's own EIP-712 domain (read from the token with
 * tokenDomain.ts), and the `v, r, s` split of the resulting signature that the tokens' and the escrow's
 * functions take. Standards only: what Pier signs with them is in payTerms.ts.
 */
import type { Hex, TypedDataDefinition, TypedDataDomain } from "viem";

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

/**
 * DAI's `Permit(address holder,address spender,uint256 nonce,uint256 expiry,bool allowed)`: not EIP-2612's
 * (same primary type name, other fields), so a wallet shows it as an unlimited (or revoked) approval.
 */
export const daiPermitTypes = {
  Permit: [
    { name: "holder", type: "address" },
    { name: "spender", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint256" },
    { name: "allowed", type: "bool" },
  ],
} as const;

/** A DAI permit's message: usable while `expiry == 0 || block.timestamp <= expiry`. */
export type DaiPermitMessage = TypedDataDefinition<typeof daiPermitTypes, "Permit">["message"];

/** The complete typed data of a DAI permit. */
export function daiPermitTypedData(domain: TokenDomain, message: DaiPermitMessage) {
  return { domain, types: daiPermitTypes, primaryType: "Permit", message } as const;
}

/** A token's EIP-712 domain, shared by its permit and its ERC-3009 authorizations. */
export type TokenDomain = TypedDataDomain;

/** A permit's message: usable while block.timestamp <= deadline (EIP-2612). */
export type PermitMessage = TypedDataDefinition<typeof permitTypes, "Permit">["message"];

/** An authorization's message: usable when validAfter < block.timestamp < validBefore (ERC-3009). */
export type ReceiveWithAuthorizationMessage = TypedDataDefinition<
  typeof receiveWithAuthorizationTypes,
  "ReceiveWithAuthorization"
>["message"];

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

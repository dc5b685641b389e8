/**
 * Signs PaymentTerms for the operator, fast: order creation signs on every request, and viem's generic
 * signTypedData (EIP-712 encoding plus pure-JS secp256k1) costs milliseconds of CPU per call. Here the
 * domain separator and type hash are computed once, the struct is encoded by hand (every field is one
 * 32-byte word), and the digest is signed by libsecp256k1 compiled to WASM (tiny-secp256k1). Both sides
 * use RFC 6979 nonces and low-s, so the bytes equal viem's `signTerms` (termsSigner.test.ts checks it).
 */

import { escrowDomain, type PaymentTerms } from "@pier/contracts/terms";
import * as secp from "tiny-secp256k1";
import { concat, domainSeparator, type Hex, hexToBytes, keccak256, toHex } from "viem";

const TYPE_HASH = keccak256(
  toHex(
    "PaymentTerms(bytes32 orderId,address merchant,address token,uint256 amount,uint256 fee,uint256 deadline,uint256 escrowPeriod,address operator)",
  ),
);

const word = (hex: string) => hex.slice(2).toLowerCase().padStart(64, "0");
const uint = (value: bigint) => {
  if (value < 0n || value >= 2n ** 256n) throw new Error(`uint256 out of range: ${value}`);
  return value.toString(16).padStart(64, "0");
};

export type TermsSigner = (terms: PaymentTerms) => Hex;

export function createTermsSigner(privateKey: Hex, chainId: number, escrow: Hex): TermsSigner {
  const key = hexToBytes(privateKey);
  if (!secp.isPrivate(key)) throw new Error("invalid operator private key");
  const separator = domainSeparator({ domain: escrowDomain(chainId, escrow) });
  return (terms) => {
    const struct =
      `0x${word(TYPE_HASH)}${word(terms.orderId)}${word(terms.merchant)}${word(terms.token)}${uint(terms.amount)}${uint(terms.fee)}${uint(terms.deadline)}${uint(terms.escrowPeriod)}${word(terms.operator)}` as Hex;
    const digest = keccak256(concat(["0x1901", separator, keccak256(struct)]));
    const { signature, recoveryId } = secp.signRecoverable(hexToBytes(digest), key);
    return `${toHex(signature)}${(27 + recoveryId).toString(16)}` as Hex;
  };
}

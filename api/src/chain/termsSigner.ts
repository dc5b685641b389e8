/**
 * Signs PaymentTerms for the operator, fast: order creation signs on every request, and viem's generic
 * signTypedData (EIP-712 encoding, pure-JS keccak and secp256k1) costs about a millisecond of CPU per
 * call. Here the domain separator and type hash are computed once, the struct is encoded by hand (every
 * field is one 32-byte word), keccak runs in WebAssembly (hash-wasm, ~4 us a hash against ~26 us in
 * JS) and signing in libsecp256k1 through its native binding (`secp256k1`, ~70 us against ~230 us in
 * WASM; it falls back to JS where no prebuilt binary exists). Both sides use RFC 6979 nonces and low-s, so the bytes equal viem's `signTerms`
 * (termsSigner.test.ts checks it), and `orderIdentifiers` equals onchainOrderId/paymentIdOf.
 */

import { escrowDomain, type PaymentTerms, signTerms } from "@pier/contracts/terms";
import { createKeccak } from "hash-wasm";
import secp256k1 from "secp256k1";
import { type Address, domainSeparator, type Hex, type LocalAccount } from "viem";

// One hasher, reused: each call runs to completion synchronously, so calls never interleave.
const hasher = await createKeccak(256);
const keccak = (data: Buffer | string): Buffer => {
  hasher.init();
  hasher.update(data);
  return Buffer.from(hasher.digest("binary"));
};
const bytes = (hex: string) => Buffer.from(hex.slice(2), "hex");

const TYPE_HASH = keccak(
  "PaymentTerms(bytes32 orderId,address merchant,address token,uint256 amount,uint256 fee,uint256 deadline,uint256 escrowPeriod,address operator)",
);

/** Writes a left-padded 32-byte word (an address, a bytes32 or a uint256) at `offset`. */
function putWord(out: Buffer, offset: number, hex: string) {
  const digits = hex.slice(2);
  if (digits.length > 64) throw new Error(`not a 32-byte word: ${hex}`);
  out.write(digits.padStart(64, "0"), offset, "hex");
}
function putUint(out: Buffer, offset: number, value: bigint) {
  if (value < 0n || value >= 2n ** 256n) throw new Error(`uint256 out of range: ${value}`);
  putWord(out, offset, `0x${value.toString(16)}`);
}

/** Synchronous with a raw key (the fast path), a promise when the operator's key is remote. */
export type TermsSigner = (terms: PaymentTerms) => Hex | Promise<Hex>;

/**
 * The operator's terms signer: the fast one below with a raw key, else the account's own
 * signTypedData (a remote signer's eth_signTypedData_v4, remoteSigner.ts), which costs a round trip.
 */
export function operatorTermsSigner(
  operator: LocalAccount,
  privateKey: Hex | undefined,
  chainId: number,
  escrow: Address,
): TermsSigner {
  if (privateKey) return createTermsSigner(privateKey, chainId, escrow);
  return (terms) => signTerms(operator, chainId, escrow, terms);
}

export function createTermsSigner(
  privateKey: Hex,
  chainId: number,
  escrow: Hex,
): (terms: PaymentTerms) => Hex {
  const key = bytes(privateKey);
  if (key.length !== 32 || !secp256k1.privateKeyVerify(key)) throw new Error("invalid operator private key");
  const separator = bytes(domainSeparator({ domain: escrowDomain(chainId, escrow) }));
  return (terms) => {
    const struct = Buffer.alloc(9 * 32);
    TYPE_HASH.copy(struct, 0);
    putWord(struct, 32, terms.orderId);
    putWord(struct, 64, terms.merchant);
    putWord(struct, 96, terms.token);
    putUint(struct, 128, terms.amount);
    putUint(struct, 160, terms.fee);
    putUint(struct, 192, terms.deadline);
    putUint(struct, 224, terms.escrowPeriod);
    putWord(struct, 256, terms.operator);
    const digest = keccak(Buffer.concat([Buffer.from([0x19, 0x01]), separator, keccak(struct)]));
    const { signature, recid } = secp256k1.ecdsaSign(digest, key);
    return `0x${Buffer.from(signature).toString("hex")}${(27 + recid).toString(16)}` as Hex;
  };
}

/** onchainOrderId(orderRef) and paymentIdOf(operator, that id), with the native keccak. */
export function orderIdentifiers(orderRef: string, operator: Address): { orderId: Hex; paymentId: Hex } {
  const orderId = keccak(Buffer.from(orderRef, "utf8"));
  const encoded = Buffer.alloc(64);
  putWord(encoded, 0, operator);
  orderId.copy(encoded, 32);
  return { orderId: `0x${orderId.toString("hex")}`, paymentId: `0x${keccak(encoded).toString("hex")}` };
}

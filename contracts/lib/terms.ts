/**
 * EIP-712 payment terms: the typed data the operator signs and the escrow verifies, plus the ids and
 * records derived from it. Shared by the API (signing), the web checkout and the CLI (paying).
 */
import {
  type Address,
  encodeAbiParameters,
  type Hex,
  hashTypedData,
  keccak256,
  type LocalAccount,
  toHex,
} from "viem";

export const PAYMENT_ESCROW_DOMAIN_NAME = "Pier PaymentEscrow";
export const PAYMENT_ESCROW_DOMAIN_VERSION = "1";

export const paymentTermsTypes = {
  PaymentTerms: [
    { name: "orderId", type: "bytes32" },
    { name: "merchant", type: "address" },
    { name: "token", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "fee", type: "uint256" },
    { name: "deadline", type: "uint256" },
    { name: "escrowPeriod", type: "uint256" },
    { name: "operator", type: "address" },
  ],
} as const;

export interface PaymentTerms {
  orderId: Hex;
  merchant: Address;
  token: Address;
  amount: bigint;
  fee: bigint;
  deadline: bigint;
  escrowPeriod: bigint;
  operator: Address;
}

/** The immutable record of an escrowed payment, passed back to release/refund/dispute/hold/resolve. */
export interface PaymentRecord {
  terms: PaymentTerms;
  payer: Address;
  refundTo: Address;
  releaseAfter: bigint;
}

export function escrowDomain(chainId: number, escrow: Address) {
  return {
    name: PAYMENT_ESCROW_DOMAIN_NAME,
    version: PAYMENT_ESCROW_DOMAIN_VERSION,
    chainId,
    verifyingContract: escrow,
  } as const;
}

/** The EIP-712 digest of the terms; also the required ERC-3009 nonce for `payWithAuthorization`. */
export function termsDigest(chainId: number, escrow: Address, terms: PaymentTerms): Hex {
  return hashTypedData({
    domain: escrowDomain(chainId, escrow),
    types: paymentTermsTypes,
    primaryType: "PaymentTerms",
    message: terms,
  });
}

/** The operator's signature over the terms. */
export function signTerms(operator: LocalAccount, chainId: number, escrow: Address, terms: PaymentTerms) {
  return operator.signTypedData({
    domain: escrowDomain(chainId, escrow),
    types: paymentTermsTypes,
    primaryType: "PaymentTerms",
    message: terms,
  });
}

/** keccak256(abi.encode(operator, orderId)): the escrow's key for a payment. */
export function paymentIdOf(operator: Address, orderId: Hex): Hex {
  return keccak256(encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [operator, orderId]));
}

/** The on-chain order id for an API order id such as `ord_...`. */
export function onchainOrderId(orderRef: string): Hex {
  return keccak256(toHex(orderRef));
}

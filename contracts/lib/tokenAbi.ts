/**
 * The token side of a payment in standard ABIs only: ERC-20, EIP-2612 permit, ERC-3009 authorizations and
 * EIP-5267's domain, plus `version()` (USDC's way of telling its EIP-712 domain version). Code that talks
 * to whatever token an order is priced in (the checkout, the CLI, the pay functions in payTerms.ts) uses
 * these, never a particular token's generated ABI: every function here is a standard's, not Pier's.
 */
import { erc20Abi } from "viem";

/** EIP-2612: `permit` and what signing one needs. */
export const eip2612Abi = [
  {
    type: "function",
    name: "permit",
    stateMutability: "nonpayable",
    inputs: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
      { name: "deadline", type: "uint256" },
      { name: "v", type: "uint8" },
      { name: "r", type: "bytes32" },
      { name: "s", type: "bytes32" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "nonces",
    stateMutability: "view",
    inputs: [{ name: "owner", type: "address" }],
    outputs: [{ type: "uint256" }],
  },
  {
    type: "function",
    name: "DOMAIN_SEPARATOR",
    stateMutability: "view",
    inputs: [],
    outputs: [{ type: "bytes32" }],
  },
] as const;

/** ERC-3009's two transfer functions share their parameters: (from, to, value, validAfter, validBefore, nonce, v, r, s). */
function authorizedTransfer<const Name extends string>(name: Name) {
  return {
    type: "function",
    name,
    stateMutability: "nonpayable",
    inputs: [
      { name: "from", type: "address" },
      { name: "to", type: "address" },
      { name: "value", type: "uint256" },
      { name: "validAfter", type: "uint256" },
      { name: "validBefore", type: "uint256" },
      { name: "nonce", type: "bytes32" },
      { name: "v", type: "uint8" },
      { name: "r", type: "bytes32" },
      { name: "s", type: "bytes32" },
    ],
    outputs: [],
  } as const;
}

/** ERC-3009: transfers authorized by the holder's signature, with random 32-byte nonces. */
export const erc3009Abi = [
  {
    type: "function",
    name: "authorizationState",
    stateMutability: "view",
    inputs: [
      { name: "authorizer", type: "address" },
      { name: "nonce", type: "bytes32" },
    ],
    outputs: [{ type: "bool" }],
  },
  authorizedTransfer("transferWithAuthorization"),
  authorizedTransfer("receiveWithAuthorization"),
  {
    type: "function",
    name: "cancelAuthorization",
    stateMutability: "nonpayable",
    inputs: [
      { name: "authorizer", type: "address" },
      { name: "nonce", type: "bytes32" },
      { name: "v", type: "uint8" },
      { name: "r", type: "bytes32" },
      { name: "s", type: "bytes32" },
    ],
    outputs: [],
  },
] as const;

/** EIP-5267: the contract's own description of its EIP-712 domain. */
export const eip5267Abi = [
  {
    type: "function",
    name: "eip712Domain",
    stateMutability: "view",
    inputs: [],
    outputs: [
      { name: "fields", type: "bytes1" },
      { name: "name", type: "string" },
      { name: "version", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
      { name: "salt", type: "bytes32" },
      { name: "extensions", type: "uint256[]" },
    ],
  },
] as const;

/** `version()`: the EIP-712 domain version of tokens without EIP-5267 (USDC, EURC: "2"). */
export const tokenVersionAbi = [
  {
    type: "function",
    name: "version",
    stateMutability: "view",
    inputs: [],
    outputs: [{ type: "string" }],
  },
] as const;

/** Everything a payer's client may call on a payment token (each standard on its own above). */
export const paymentTokenAbi = [
  ...erc20Abi,
  ...eip2612Abi,
  ...erc3009Abi,
  ...eip5267Abi,
  ...tokenVersionAbi,
] as const;

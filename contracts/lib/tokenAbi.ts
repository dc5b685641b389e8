/**
 * The token side of a payment in standard ABIs only: ERC-20, EIP-2612 permit, ERC-3009 authorizations and
 * EIP-5267's domain, plus `version()` (USDC's way of telling its EIP-712 domain version). Code that talks
 * to whatever token an order is priced in (the checkout, the CLI, the pay functions in payTerms.ts) uses
 * these, never a particular token's generated ABI: every function here is a standard's, not Pier's.
 */
import { erc20Abi } from "viem";

// Literal JSON ABIs, each item under its signature: viem's parseAbi of the signatures would bring its
// parser (~30 kB before gzip) into the checkout's JavaScript, where nothing else needs it.
// tokenAbi.test.ts checks each against parseAbi.

/** EIP-2612: `permit` and what signing one needs. */
export const eip2612Abi = [
  // function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
  {
    name: "permit",
    type: "function",
    stateMutability: "nonpayable",
    inputs: [
      { type: "address", name: "owner" },
      { type: "address", name: "spender" },
      { type: "uint256", name: "value" },
      { type: "uint256", name: "deadline" },
      { type: "uint8", name: "v" },
      { type: "bytes32", name: "r" },
      { type: "bytes32", name: "s" },
    ],
    outputs: [],
  },
  // function nonces(address owner) view returns (uint256)
  {
    name: "nonces",
    type: "function",
    stateMutability: "view",
    inputs: [{ type: "address", name: "owner" }],
    outputs: [{ type: "uint256" }],
  },
  // function DOMAIN_SEPARATOR() view returns (bytes32)
  {
    name: "DOMAIN_SEPARATOR",
    type: "function",
    stateMutability: "view",
    inputs: [],
    outputs: [{ type: "bytes32" }],
  },
] as const;

/**
 * DAI's permit (MakerDAO `dai.sol`, before EIP-2612): no amount, the holder's nonce passed in, `expiry` 0
 * for never; `allowed` sets the spender's allowance to the maximum, `!allowed` to zero.
 */
export const daiPermitAbi = [
  // function permit(address holder, address spender, uint256 nonce, uint256 expiry, bool allowed, uint8 v, bytes32 r, bytes32 s)
  {
    name: "permit",
    type: "function",
    stateMutability: "nonpayable",
    inputs: [
      { type: "address", name: "holder" },
      { type: "address", name: "spender" },
      { type: "uint256", name: "nonce" },
      { type: "uint256", name: "expiry" },
      { type: "bool", name: "allowed" },
      { type: "uint8", name: "v" },
      { type: "bytes32", name: "r" },
      { type: "bytes32", name: "s" },
    ],
    outputs: [],
  },
  // function nonces(address holder) view returns (uint256)
  {
    name: "nonces",
    type: "function",
    stateMutability: "view",
    inputs: [{ type: "address", name: "holder" }],
    outputs: [{ type: "uint256" }],
  },
] as const;

/** ERC-3009: transfers authorized by the holder's signature, with random 32-byte nonces. */
export const erc3009Abi = [
  // function authorizationState(address authorizer, bytes32 nonce) view returns (bool)
  {
    name: "authorizationState",
    type: "function",
    stateMutability: "view",
    inputs: [
      { type: "address", name: "authorizer" },
      { type: "bytes32", name: "nonce" },
    ],
    outputs: [{ type: "bool" }],
  },
  // function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)
  {
    name: "transferWithAuthorization",
    type: "function",
    stateMutability: "nonpayable",
    inputs: [
      { type: "address", name: "from" },
      { type: "address", name: "to" },
      { type: "uint256", name: "value" },
      { type: "uint256", name: "validAfter" },
      { type: "uint256", name: "validBefore" },
      { type: "bytes32", name: "nonce" },
      { type: "uint8", name: "v" },
      { type: "bytes32", name: "r" },
      { type: "bytes32", name: "s" },
    ],
    outputs: [],
  },
  // function receiveWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)
  {
    name: "receiveWithAuthorization",
    type: "function",
    stateMutability: "nonpayable",
    inputs: [
      { type: "address", name: "from" },
      { type: "address", name: "to" },
      { type: "uint256", name: "value" },
      { type: "uint256", name: "validAfter" },
      { type: "uint256", name: "validBefore" },
      { type: "bytes32", name: "nonce" },
      { type: "uint8", name: "v" },
      { type: "bytes32", name: "r" },
      { type: "bytes32", name: "s" },
    ],
    outputs: [],
  },
  // function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)
  {
    name: "cancelAuthorization",
    type: "function",
    stateMutability: "nonpayable",
    inputs: [
      { type: "address", name: "authorizer" },
      { type: "bytes32", name: "nonce" },
      { type: "uint8", name: "v" },
      { type: "bytes32", name: "r" },
      { type: "bytes32", name: "s" },
    ],
    outputs: [],
  },
] as const;

/** EIP-5267: the contract's own description of its EIP-712 domain. */
export const eip5267Abi = [
  // function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
  {
    name: "eip712Domain",
    type: "function",
    stateMutability: "view",
    inputs: [],
    outputs: [
      { type: "bytes1", name: "fields" },
      { type: "string", name: "name" },
      { type: "string", name: "version" },
      { type: "uint256", name: "chainId" },
      { type: "address", name: "verifyingContract" },
      { type: "bytes32", name: "salt" },
      { type: "uint256[]", name: "extensions" },
    ],
  },
] as const;

/** `version()`: the EIP-712 domain version of tokens without EIP-5267 (USDC, EURC: "2"). */
export const tokenVersionAbi = [
  // function version() view returns (string)
  { name: "version", type: "function", stateMutability: "view", inputs: [], outputs: [{ type: "string" }] },
] as const;

/** Everything a payer's client may call on a payment token (each standard on its own above). */
export const paymentTokenAbi = [
  ...erc20Abi,
  ...eip2612Abi,
  ...erc3009Abi,
  ...eip5267Abi,
  ...tokenVersionAbi,
] as const;

/**
 * The token side of a payment in standard ABIs only: ERC-20, EIP-2612 permit, ERC-3009 authorizations and
 * EIP-5267's domain, plus `version()` (USDC's way of telling its EIP-712 domain version). Code that talks
 * to whatever token an order is priced in (the checkout, the CLI, the pay functions in payTerms.ts) uses
 * these, never a particular token's generated ABI: every function here is a standard's, not Pier's.
 */
import { erc20Abi, parseAbi } from "viem";

/** EIP-2612: `permit` and what signing one needs. */
export const eip2612Abi = parseAbi([
  "function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)",
  "function nonces(address owner) view returns (uint256)",
  "function DOMAIN_SEPARATOR() view returns (bytes32)",
]);

/**
 * DAI's permit (MakerDAO `dai.sol`, before EIP-2612): no amount, the holder's nonce passed in, `expiry` 0
 * for never; `allowed` sets the spender's allowance to the maximum, `!allowed` to zero.
 */
export const daiPermitAbi = parseAbi([
  "function permit(address holder, address spender, uint256 nonce, uint256 expiry, bool allowed, uint8 v, bytes32 r, bytes32 s)",
  "function nonces(address holder) view returns (uint256)",
]);

/** ERC-3009: transfers authorized by the holder's signature, with random 32-byte nonces. */
export const erc3009Abi = parseAbi([
  "function authorizationState(address authorizer, bytes32 nonce) view returns (bool)",
  "function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)",
  "function receiveWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)",
  "function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)",
]);

/** EIP-5267: the contract's own description of its EIP-712 domain. */
export const eip5267Abi = parseAbi([
  "function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)",
]);

/** `version()`: the EIP-712 domain version of tokens without EIP-5267 (USDC, EURC: "2"). */
export const tokenVersionAbi = parseAbi(["function version() view returns (string)"]);

/** Everything a payer's client may call on a payment token (each standard on its own above). */
export const paymentTokenAbi = [
  ...erc20Abi,
  ...eip2612Abi,
  ...erc3009Abi,
  ...eip5267Abi,
  ...tokenVersionAbi,
] as const;

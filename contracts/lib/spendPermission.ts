/**
 * EIP-712 spend permissions: the typed data a payer signs once at a subscription's checkout and
 * SpendPermissions.sol verifies, and the permission's id (its EIP-712 digest, what the contract's
 * `permissionHash` returns). Shared by the API (building permissions, charging), the web checkout
 * (signing) and the indexer (keying permissions).
 */
import { type Address, getAddress, type Hex, hashTypedData } from "viem";

export const SPEND_PERMISSIONS_DOMAIN_NAME = "Pier SpendPermissions";
export const SPEND_PERMISSIONS_DOMAIN_VERSION = "1";

/** Field order and types are the contract's `SPEND_PERMISSION_TYPEHASH`. */
export const spendPermissionTypes = {
  SpendPermission: [
    { name: "account", type: "address" },
    { name: "operator", type: "address" },
    { name: "merchant", type: "address" },
    { name: "token", type: "address" },
    { name: "allowance", type: "uint160" },
    { name: "period", type: "uint48" },
    { name: "start", type: "uint48" },
    { name: "end", type: "uint48" },
    { name: "salt", type: "uint256" },
  ],
} as const;

/**
 * What the payer signs: `account` may be charged by `operator`, for `merchant`, at most `allowance`
 * of `token` (in token units) in each `period` seconds from `start`, until `end` (unix seconds).
 * Numbers fit their Solidity types: `allowance` < 2^160, `period`, `start`, `end` < 2^48.
 */
export interface SpendPermission {
  account: Address;
  operator: Address;
  merchant: Address;
  token: Address;
  allowance: bigint;
  period: number;
  start: number;
  end: number;
  salt: bigint;
}

export function spendPermissionsDomain(chainId: number, spendPermissions: Address) {
  return {
    name: SPEND_PERMISSIONS_DOMAIN_NAME,
    version: SPEND_PERMISSIONS_DOMAIN_VERSION,
    chainId,
    verifyingContract: spendPermissions,
  } as const;
}

/** The complete typed data for any signTypedData (viem, wagmi, a wallet). */
export function spendPermissionTypedData(
  chainId: number,
  spendPermissions: Address,
  permission: SpendPermission,
) {
  return {
    domain: spendPermissionsDomain(chainId, spendPermissions),
    types: spendPermissionTypes,
    primaryType: "SpendPermission",
    message: permission,
  } as const;
}

/** The permission's id and EIP-712 digest: equal to the contract's `permissionHash(permission)`. */
export function spendPermissionHash(
  chainId: number,
  spendPermissions: Address,
  permission: SpendPermission,
): Hex {
  return hashTypedData(spendPermissionTypedData(chainId, spendPermissions, permission));
}

/**
 * A permission as JSON carries it (the API's `typed_data.message`, a stored permission): uint160 and
 * uint256 as decimal strings, since JSON numbers cannot hold them.
 */
export interface SpendPermissionJson {
  account: string;
  operator: string;
  merchant: string;
  token: string;
  allowance: string;
  period: number;
  start: number;
  end: number;
  salt: string;
}

/** The permission to sign, hash or pass to the contract, from its JSON form. */
export function spendPermissionFromJson(json: SpendPermissionJson): SpendPermission {
  return {
    account: getAddress(json.account),
    operator: getAddress(json.operator),
    merchant: getAddress(json.merchant),
    token: getAddress(json.token),
    allowance: BigInt(json.allowance),
    period: json.period,
    start: json.start,
    end: json.end,
    salt: BigInt(json.salt),
  };
}

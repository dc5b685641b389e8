/**
 * The well-known Hardhat development accounts (mnemonic "test test ... junk") and the role each plays
 * on the local chain. These keys are public: never use them anywhere but a local chain.
 */
import { pbkdf2Sync } from "node:crypto";
import type { Hex } from "viem";
import { type HDAccount, HDKey, hdKeyToAccount } from "viem/accounts";

export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** Index of each role among the dev accounts. */
export const devRoles = {
  deployer: 0,
  operator: 1,
  arbiter: 2,
  feeRecipient: 3,
  treasury: 4,
  merchant: 5,
  customer: 6,
  customer2: 7,
  bridge: 8,
  keeper: 9,
  /**
   * Admin of the RegulatedStablecoin's upgradeable proxy on the local chain: it may upgrade the token and,
   * as on mainnet USDC, cannot use it. (The deployer holds the issuer's roles: owner, minter, pauser,
   * blacklister.)
   */
  proxyAdmin: 10,
  /** The API's relayer: sends customers' signed payments and pays their gas (api/src/relay/). */
  relayer: 11,
} as const;

export type DevRole = keyof typeof devRoles;

/**
 * The BIP-39 seed, derived once, natively. viem's mnemonicToAccount runs the 2,048 PBKDF2 rounds in
 * JavaScript on every call (~80 ms each): the API derives six accounts on start, which was about a
 * quarter of its start-up time.
 */
let master: HDKey | undefined;
const accounts = new Map<DevRole, HDAccount>();

/** A dev account (address + local signer) by role. */
export function devAccount(role: DevRole): HDAccount {
  master ??= HDKey.fromMasterSeed(pbkdf2Sync(DEV_MNEMONIC.normalize("NFKD"), "mnemonic", 2048, 64, "sha512"));
  const known = accounts.get(role);
  if (known) return known;
  const account = hdKeyToAccount(master, { addressIndex: devRoles[role] });
  accounts.set(role, account);
  return account;
}

/** The raw private key of a dev account, for tools that want a hex key. */
export function devPrivateKey(role: DevRole): Hex {
  const key = devAccount(role).getHdKey().privateKey;
  if (!key) throw new Error(`no private key for dev account ${role}`);
  return `0x${Buffer.from(key).toString("hex")}`;
}

/**
 * The well-known Hardhat development accounts (mnemonic "test test ... junk") and the role each plays
 * on the local chain. These keys are public: never use them anywhere but a local chain.
 */
import type { Hex } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";

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
 * Each role's private key: the keys the mnemonic derives at m/44'/60'/0'/0/<index> (BIP-39/BIP-44), as
 * Hardhat lists them. Written out rather than derived: the derivation (PBKDF2, then five levels of
 * secp256k1 per account, in JavaScript) cost the API about 100 ms of every start for six accounts.
 * contracts/test-ts/accounts.test.ts derives each one from the mnemonic and compares.
 */
const DEV_PRIVATE_KEYS: Record<DevRole, Hex> = {
  deployer: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  operator: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  arbiter: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  feeRecipient: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  treasury: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  merchant: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  customer: "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  customer2: "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
  bridge: "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
  keeper: "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
  proxyAdmin: "0xf214f2b2cd398c806f84e317254e0f0b801d0643303237d97a22a48e01628897",
  relayer: "0x701b615bbdfb9de65240bc28bd21bbc0d996645a3dd57e7b12bc2bdf6f192c82",
};

const accounts = new Map<DevRole, PrivateKeyAccount>();

/** A dev account (address + local signer) by role. */
export function devAccount(role: DevRole): PrivateKeyAccount {
  const known = accounts.get(role);
  if (known) return known;
  const account = privateKeyToAccount(devPrivateKey(role));
  accounts.set(role, account);
  return account;
}

/** The raw private key of a dev account, for tools that want a hex key. */
export function devPrivateKey(role: DevRole): Hex {
  return DEV_PRIVATE_KEYS[role];
}

/**
 * The API's on-chain signers: the operator (signs payment terms, refunds, early releases, holds), the
 * keeper (sends releaseBatch) and the arbiter (resolves disputes), plus the fiat bridge's treasury and
 * bridge. Each role's key comes from the environment (PIER_<ROLE>_KEY) or lives in a remote signer
 * (PIER_<ROLE>_ADDRESS with PIER_SIGNER_URL, see remoteSigner.ts); config.ts refuses both for one
 * role. On local chains only (31337, 1337), the public Hardhat dev accounts are the defaults of unset roles.
 */

import { type DevRole, devAccount, devPrivateKey } from "@pier/contracts/accounts";
import { isLocalChain } from "@pier/contracts/chains";
import { type Address, getAddress, type Hex, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Config } from "../config.ts";
import { ConfigError } from "../lib/env.ts";
import type { RemoteSigner } from "./remoteSigner.ts";

export interface Signers {
  /** A private-key account, or a custom account that signs through the remote signer. */
  operator: LocalAccount;
  /**
   * The operator's raw key, for the fast terms signer (termsSigner.ts); never logged. Undefined when
   * the operator is remote: terms are then signed through `operator.signTypedData`.
   */
  operatorKey?: Hex;
  keeper: LocalAccount;
  /** Undefined when no arbiter key is configured: admin resolution is then unavailable. */
  arbiter?: LocalAccount;
  /** Sends customers' signed payments and pays their gas (relay/); undefined: relaying is off. */
  relayer?: LocalAccount;
  /** The fiat bridge's treasury (pays escrows for captured fiat payments); undefined: no fiat bridge. */
  treasury?: LocalAccount;
  /** Where escrow refunds of fiat-funded orders go (the bridge), before they leave through the provider. */
  bridge?: Hex;
  /** The bridge's key, when configured: it sweeps refunded tokens back to the treasury. */
  bridgeSigner?: LocalAccount;
  /** The roles signed by the remote signer, to check at boot that it holds each address. */
  remote: { role: string; address: Address }[];
}

/**
 * Builds every role's account. `remote` is the remote signer client, required when config.remoteSigner
 * names a role (the composition root creates it from the same config).
 */
export function loadSigners(config: Config, chainId: number, remote?: RemoteSigner): Signers {
  const local = isLocalChain(chainId);
  const remoteRoles: { role: string; address: Address }[] = [];
  const remoteAccount = (role: string, address: string | undefined): LocalAccount | undefined => {
    if (!address) return undefined;
    if (!remote) throw new ConfigError(`the ${role} is remote but no remote signer was created`);
    const account = remote.account(getAddress(address));
    remoteRoles.push({ role, address: account.address });
    return account;
  };
  const keyOf = (
    value: string | undefined,
    role: DevRole,
    name: string,
    required: boolean,
  ): Hex | undefined => {
    if (value) return value as Hex;
    if (local) return devPrivateKey(role);
    if (required)
      throw new ConfigError(
        `${name} (or PIER_${role.toUpperCase()}_ADDRESS with PIER_SIGNER_URL) is required on chain ${chainId} (dev keys are local-only)`,
      );
    return undefined;
  };
  /** A role's account: remote when it has an address, else its key (or the dev key on the local chain). */
  const accountOf = (
    address: string | undefined,
    key: string | undefined,
    role: DevRole,
    name: string,
    required: boolean,
  ): { account?: LocalAccount; key?: Hex } => {
    const remoteOne = remoteAccount(role, address);
    if (remoteOne) return { account: remoteOne };
    const raw = keyOf(key, role, name, required);
    return { account: raw ? privateKeyToAccount(raw) : undefined, key: raw };
  };
  const r = config.remoteSigner;
  const operator = accountOf(r?.operator, config.operatorKey, "operator", "PIER_OPERATOR_KEY", true);
  const keeper = accountOf(r?.keeper, config.keeperKey, "keeper", "PIER_KEEPER_KEY", false);
  const arbiter = accountOf(r?.arbiter, config.arbiterKey, "arbiter", "PIER_ARBITER_KEY", false);
  const treasury = accountOf(r?.treasury, config.treasuryKey, "treasury", "PIER_TREASURY_KEY", false);
  const relayer = accountOf(r?.relayer, config.relayerKey, "relayer", "PIER_RELAYER_KEY", false);
  const bridgeKey =
    (config.bridgeKey as Hex | undefined) ??
    (local && !config.bridgeAddress ? devPrivateKey("bridge") : undefined);
  const bridgeSigner =
    remoteAccount("bridge", r?.bridge) ?? (bridgeKey ? privateKeyToAccount(bridgeKey) : undefined);
  if (
    bridgeSigner &&
    config.bridgeAddress &&
    bridgeSigner.address.toLowerCase() !== config.bridgeAddress.toLowerCase()
  )
    throw new ConfigError("PIER_BRIDGE_ADDRESS is not the address of PIER_BRIDGE_KEY");
  const bridge =
    (config.bridgeAddress as Hex | undefined) ??
    bridgeSigner?.address ??
    (local ? devAccount("bridge").address : undefined);
  return {
    operator: operator.account!,
    operatorKey: operator.key,
    keeper: keeper.account ?? operator.account!,
    arbiter: arbiter.account,
    treasury: treasury.account,
    relayer: relayer.account,
    bridge,
    bridgeSigner,
    remote: remoteRoles,
  };
}

/** A key the transaction sender drives, with every role it plays (the keeper defaults to the operator). */
export interface SenderSigner {
  account: LocalAccount;
  /** Lowercase, as stored in chain_txs.signer. */
  address: string;
  roles: string[];
}

export function senderSigners(signers: Signers): SenderSigner[] {
  const byAddress = new Map<string, SenderSigner>();
  const roles: [string, LocalAccount | undefined][] = [
    ["operator", signers.operator],
    ["keeper", signers.keeper],
    ["arbiter", signers.arbiter],
    ["treasury", signers.treasury],
    ["relayer", signers.relayer],
    ["bridge", signers.bridgeSigner],
  ];
  for (const [role, account] of roles) {
    if (!account) continue;
    const address = account.address.toLowerCase();
    const known = byAddress.get(address);
    if (known) known.roles.push(role);
    else byAddress.set(address, { account, address, roles: [role] });
  }
  return [...byAddress.values()];
}

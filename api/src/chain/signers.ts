/**
 * The API's on-chain signers: the operator (signs payment terms, refunds, early releases, holds), the
 * keeper (sends releaseBatch) and the arbiter (resolves disputes). Keys come from the environment; on
 * the local chain only, the public Hardhat dev accounts are the defaults.
 */

import { type DevRole, devAccount, devPrivateKey } from "@pier/contracts/accounts";
import { LOCAL_CHAIN_ID } from "@pier/contracts/chains";
import type { Hex, LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Config } from "../config.ts";
import { ConfigError } from "../lib/env.ts";

export interface Signers {
  operator: LocalAccount;
  /** The operator's raw key, for the fast terms signer (termsSigner.ts); never logged. */
  operatorKey: Hex;
  keeper: LocalAccount;
  /** Undefined when no arbiter key is configured: admin resolution is then unavailable. */
  arbiter?: LocalAccount;
  /** The fiat bridge's treasury (pays escrows for captured fiat payments); undefined: no fiat bridge. */
  treasury?: LocalAccount;
  /** Where escrow refunds of fiat-funded orders go (the bridge), before they leave through the provider. */
  bridge?: Hex;
  /** The bridge's key, when configured: it sweeps refunded tokens back to the treasury. */
  bridgeSigner?: LocalAccount;
}

export function loadSigners(config: Config, chainId: number): Signers {
  const local = chainId === LOCAL_CHAIN_ID;
  const keyOf = (
    value: string | undefined,
    role: DevRole,
    name: string,
    required: boolean,
  ): Hex | undefined => {
    if (value) return value as Hex;
    if (local) return devPrivateKey(role);
    if (required) throw new ConfigError(`${name} is required on chain ${chainId} (dev keys are local-only)`);
    return undefined;
  };
  const operatorKey = keyOf(config.operatorKey, "operator", "PIER_OPERATOR_KEY", true)!;
  const keeperKey = keyOf(config.keeperKey, "keeper", "PIER_KEEPER_KEY", false);
  const arbiterKey = keyOf(config.arbiterKey, "arbiter", "PIER_ARBITER_KEY", false);
  const treasuryKey = keyOf(config.treasuryKey, "treasury", "PIER_TREASURY_KEY", false);
  const bridgeKey =
    (config.bridgeKey as Hex | undefined) ??
    (local && !config.bridgeAddress ? devPrivateKey("bridge") : undefined);
  const bridgeSigner = bridgeKey ? privateKeyToAccount(bridgeKey) : undefined;
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
  const operator = privateKeyToAccount(operatorKey);
  return {
    operator,
    operatorKey,
    keeper: keeperKey ? privateKeyToAccount(keeperKey) : operator,
    arbiter: arbiterKey ? privateKeyToAccount(arbiterKey) : undefined,
    treasury: treasuryKey ? privateKeyToAccount(treasuryKey) : undefined,
    bridge,
    bridgeSigner,
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

/**
 * The API's on-chain signers: the operator (signs payment terms, refunds, early releases, holds), the
 * keeper (sends releaseBatch) and the arbiter (resolves disputes). Keys come from the environment; on
 * the local chain only, the public Hardhat dev accounts are the defaults.
 */

import { type DevRole, devPrivateKey } from "@pier/contracts/accounts";
import type { Hex, LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Config, ConfigError } from "../config.ts";
import { LOCAL_CHAIN_ID } from "./localChain.ts";

export interface Signers {
  operator: LocalAccount;
  /** The operator's raw key, for the fast terms signer (termsSigner.ts); never logged. */
  operatorKey: Hex;
  keeper: LocalAccount;
  /** Undefined when no arbiter key is configured: admin resolution is then unavailable. */
  arbiter?: LocalAccount;
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
  const operator = privateKeyToAccount(operatorKey);
  return {
    operator,
    operatorKey,
    keeper: keeperKey ? privateKeyToAccount(keeperKey) : operator,
    arbiter: arbiterKey ? privateKeyToAccount(arbiterKey) : undefined,
  };
}

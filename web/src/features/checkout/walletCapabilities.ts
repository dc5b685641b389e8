/**
 * What the connected wallet can do beyond plain transactions, from EIP-5792 `wallet_getCapabilities` for the
 * order's chain: send calls as one atomic batch (`atomic.status` "supported" or "ready"; the older
 * `atomicBatch.supported` too), and have an ERC-7677 paymaster service pay the gas (`paymasterService`).
 * A wallet that does not know the method (most today), errors or takes too long has neither.
 */
import type { Address } from "viem";
import { getCapabilities } from "wagmi/actions";
import type { PierConfig } from "../../wagmi.ts";

export interface WalletCapabilities {
  atomic: boolean;
  paymaster: boolean;
}

export const NO_CAPABILITIES: WalletCapabilities = { atomic: false, paymaster: false };

/** A wallet that has not answered by then is treated as having no capabilities: the customer is waiting. */
const ANSWER_WITHIN_MS = 3_000;

export function capabilitiesFrom(onChain: unknown): WalletCapabilities {
  if (!onChain || typeof onChain !== "object") return NO_CAPABILITIES;
  const c = onChain as {
    atomic?: { status?: unknown };
    atomicBatch?: { supported?: unknown };
    paymasterService?: { supported?: unknown };
  };
  const atomic =
    c.atomic?.status === "supported" || c.atomic?.status === "ready" || c.atomicBatch?.supported === true;
  return { atomic, paymaster: c.paymasterService?.supported === true };
}

export async function detectCapabilities(
  config: PierConfig,
  account: Address,
  chainId: number,
): Promise<WalletCapabilities> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<WalletCapabilities>((resolve) => {
    timer = setTimeout(() => resolve(NO_CAPABILITIES), ANSWER_WITHIN_MS);
  });
  const asked = getCapabilities(config, { account, chainId })
    .then(capabilitiesFrom)
    .catch(() => NO_CAPABILITIES);
  try {
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}

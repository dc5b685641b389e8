/**
 * EIP-1559 fees the sender signs with, as pure arithmetic (fees.test.ts):
 *
 * - First attempt: tip = the node's suggested priority fee; maxFeePerGas = 2 x the latest base fee +
 *   tip (room for six full blocks of +12.5% each), never above the cap (PIER_TX_MAX_FEE_GWEI).
 * - Replacement (fee bump or no-op cancel at the same nonce): both fees at least +12.5% over the
 *   previous attempt's (nodes refuse a replacement below +10%, geth, Hardhat, or +12.5%, others), and
 *   at least what a first attempt would sign now. Capped: a bump the cap cannot make valid is refused,
 *   and the transaction waits as it is, reported stuck.
 */
import { unitsToDecimal } from "@pier/money/units";

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export interface Market {
  /** The latest block's base fee. */
  baseFeePerGas: bigint;
  /** The node's suggested priority fee (eth_maxPriorityFeePerGas). */
  priorityFee: bigint;
}

/** A replacement must raise both fees by at least this (1125/1000: +12.5%). */
export const REPLACEMENT_BUMP = { numerator: 1125n, denominator: 1000n } as const;

export function initialFees(market: Market, cap: bigint): Fees {
  let tip = market.priorityFee;
  let maxFee = market.baseFeePerGas * 2n + tip;
  if (maxFee > cap) maxFee = cap;
  if (tip > maxFee) tip = maxFee;
  return { maxFeePerGas: maxFee, maxPriorityFeePerGas: tip };
}

/** The least a replacement of `previous` may offer: each fee +12.5%, rounded up, and at least +1 wei. */
export function minimumReplacement(previous: Fees): Fees {
  const raise = (x: bigint) => {
    const { numerator, denominator } = REPLACEMENT_BUMP;
    const raised = (x * numerator + denominator - 1n) / denominator;
    return raised > x ? raised : x + 1n;
  };
  return {
    maxFeePerGas: raise(previous.maxFeePerGas),
    maxPriorityFeePerGas: raise(previous.maxPriorityFeePerGas),
  };
}

export type Bump = { ok: true; fees: Fees; capped: boolean } | { ok: false; reason: string; needed: Fees };

export function bumpFees(previous: Fees, market: Market, cap: bigint): Bump {
  const floor = minimumReplacement(previous);
  const tip = max(floor.maxPriorityFeePerGas, market.priorityFee);
  let maxFee = max(floor.maxFeePerGas, market.baseFeePerGas * 2n + tip);
  let capped = false;
  if (maxFee > cap) {
    maxFee = cap;
    capped = true;
  }
  if (maxFee < floor.maxFeePerGas || tip > maxFee) {
    return {
      ok: false,
      reason: `fee cap reached: a replacement needs maxFeePerGas >= ${gwei(floor.maxFeePerGas)} gwei, the cap (PIER_TX_MAX_FEE_GWEI) is ${gwei(cap)} gwei`,
      needed: { maxFeePerGas: floor.maxFeePerGas, maxPriorityFeePerGas: tip },
    };
  }
  return { ok: true, fees: { maxFeePerGas: maxFee, maxPriorityFeePerGas: tip }, capped };
}

/**
 * A transaction unmined for `bumpAfterBlocks` since it was signed is bumped when it holds up the others
 * (it has the signer's next nonce to be mined) or cannot be mined at today's base fee. One merely
 * waiting behind a lower nonce is left alone: a higher fee would not move it.
 */
export function shouldBump(input: {
  blocksWaiting: bigint;
  bumpAfterBlocks: number;
  nextToMine: boolean;
  maxFeePerGas: bigint;
  baseFeePerGas: bigint;
}): boolean {
  if (input.blocksWaiting < BigInt(input.bumpAfterBlocks)) return false;
  return input.nextToMine || input.maxFeePerGas < input.baseFeePerGas;
}

/** wei -> a gwei decimal string for messages and logs ("1.5"). */
export function gwei(wei: bigint): string {
  return unitsToDecimal(wei, 9);
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

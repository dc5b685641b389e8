import { describe, expect, test } from "vitest";
import { bumpFees, gwei, initialFees, minimumReplacement, shouldBump } from "./fees.ts";

const G = 1_000_000_000n;
const cap = 500n * G;

describe("initialFees", () => {
  test("default: twice the base fee plus the suggested tip", () => {
    expect(initialFees({ baseFeePerGas: 10n * G, priorityFee: 2n * G }, cap)).toEqual({
      maxFeePerGas: 22n * G,
      maxPriorityFeePerGas: 2n * G,
    });
  });

  test("behavior: never above the cap, and the tip never above the max fee", () => {
    expect(initialFees({ baseFeePerGas: 400n * G, priorityFee: 2n * G }, cap)).toEqual({
      maxFeePerGas: cap,
      maxPriorityFeePerGas: 2n * G,
    });
    expect(initialFees({ baseFeePerGas: 0n, priorityFee: 900n * G }, cap)).toEqual({
      maxFeePerGas: cap,
      maxPriorityFeePerGas: cap,
    });
  });
});

describe("minimumReplacement", () => {
  test("default: +12.5% on both fees, rounded up", () => {
    expect(minimumReplacement({ maxFeePerGas: 1000n, maxPriorityFeePerGas: 8n })).toEqual({
      maxFeePerGas: 1125n,
      maxPriorityFeePerGas: 9n,
    });
    expect(minimumReplacement({ maxFeePerGas: 1001n, maxPriorityFeePerGas: 1n }).maxFeePerGas).toBe(1127n);
  });

  test("behavior: at least one wei more, even from zero or one", () => {
    expect(minimumReplacement({ maxFeePerGas: 1n, maxPriorityFeePerGas: 0n })).toEqual({
      maxFeePerGas: 2n,
      maxPriorityFeePerGas: 1n,
    });
  });

  test("behavior: clears Hardhat's and geth's +10% rule and the +12.5% rule of others", () => {
    const prev = { maxFeePerGas: 2_000_000_001n, maxPriorityFeePerGas: 1_000_000_001n };
    const next = minimumReplacement(prev);
    for (const [a, b] of [
      [next.maxFeePerGas, prev.maxFeePerGas],
      [next.maxPriorityFeePerGas, prev.maxPriorityFeePerGas],
    ] as const) {
      expect(a * 1000n).toBeGreaterThanOrEqual(b * 1125n);
    }
  });
});

describe("bumpFees", () => {
  const prev = { maxFeePerGas: 22n * G, maxPriorityFeePerGas: 2n * G };

  test("default: the market moved little: the replacement minimum", () => {
    const bump = bumpFees(prev, { baseFeePerGas: 5n * G, priorityFee: 1n * G }, cap);
    expect(bump).toEqual({
      ok: true,
      capped: false,
      fees: { maxFeePerGas: 24_750_000_000n, maxPriorityFeePerGas: 2_250_000_000n },
    });
  });

  test("behavior: the base fee jumped above the old max fee: follows the market", () => {
    const bump = bumpFees(prev, { baseFeePerGas: 100n * G, priorityFee: 3n * G }, cap);
    expect(bump).toEqual({
      ok: true,
      capped: false,
      fees: { maxFeePerGas: 203n * G, maxPriorityFeePerGas: 3n * G },
    });
  });

  test("behavior: capped when the market asks for more, still a valid replacement", () => {
    const bump = bumpFees(prev, { baseFeePerGas: 400n * G, priorityFee: 3n * G }, cap);
    expect(bump).toEqual({
      ok: true,
      capped: true,
      fees: { maxFeePerGas: cap, maxPriorityFeePerGas: 3n * G },
    });
  });

  test("error: at the cap no valid replacement exists: refused with the reason", () => {
    const atCap = { maxFeePerGas: cap, maxPriorityFeePerGas: 3n * G };
    const bump = bumpFees(atCap, { baseFeePerGas: 450n * G, priorityFee: 3n * G }, cap);
    expect(bump.ok).toBe(false);
    if (!bump.ok) {
      expect(bump.reason).toMatch(/fee cap reached.*562\.5 gwei.*500 gwei/);
      expect(bump.needed.maxFeePerGas).toBe(562_500_000_000n);
    }
    // Just under the cap, the +12.5% minimum does not fit either.
    expect(
      bumpFees(
        { maxFeePerGas: 450n * G, maxPriorityFeePerGas: 1n },
        { baseFeePerGas: 1n, priorityFee: 1n },
        cap,
      ).ok,
    ).toBe(false);
  });

  test("error: a tip that cannot stay under the cap is refused", () => {
    const bump = bumpFees(
      { maxFeePerGas: 10n, maxPriorityFeePerGas: 10n },
      { baseFeePerGas: 0n, priorityFee: 0n },
      11n,
    );
    expect(bump.ok).toBe(false);
  });
});

describe("shouldBump", () => {
  const base = { bumpAfterBlocks: 3, maxFeePerGas: 10n, baseFeePerGas: 5n };
  test("default: the next nonce to mine, waiting long enough", () => {
    expect(shouldBump({ ...base, blocksWaiting: 3n, nextToMine: true })).toBe(true);
    expect(shouldBump({ ...base, blocksWaiting: 2n, nextToMine: true })).toBe(false);
  });
  test("behavior: behind a lower nonce only when priced out by the base fee", () => {
    expect(shouldBump({ ...base, blocksWaiting: 9n, nextToMine: false })).toBe(false);
    expect(shouldBump({ ...base, blocksWaiting: 9n, nextToMine: false, baseFeePerGas: 11n })).toBe(true);
  });
});

test("gwei: exact decimals", () => {
  expect(gwei(1_500_000_000n)).toBe("1.5");
  expect(gwei(500n * G)).toBe("500");
  expect(gwei(1n)).toBe("0.000000001");
});

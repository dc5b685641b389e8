import { describe, expect, test } from "vitest";
import type { TokenInfo } from "../chain/chainContext.ts";
import type { AppContext } from "../context.ts";
import { minBalanceOf } from "./treasury.ts";

const token = (decimals: number) => ({ decimals }) as TokenInfo;
/** The first network's default token has 6 decimals; the reserve is 1,000 of it. */
const ctx = (min: bigint) =>
  ({
    config: { treasuryMinBalance: min },
    networks: { default: { token: token(6) } },
  }) as unknown as AppContext;

describe("minBalanceOf", () => {
  test("default: the same face value at each token's decimals", () => {
    expect(minBalanceOf(ctx(1_000_000_000n), token(6))).toBe(1_000_000_000n);
    expect(minBalanceOf(ctx(1_000_000_000n), token(18))).toBe(1_000n * 10n ** 18n);
    expect(minBalanceOf(ctx(1_000_000_000n), token(2))).toBe(100_000n);
  });

  test("behavior: fewer decimals round the reserve up, never below the configured one", () => {
    expect(minBalanceOf(ctx(1n), token(2))).toBe(1n);
    expect(minBalanceOf(ctx(10_001n), token(2))).toBe(2n);
    expect(minBalanceOf(ctx(0n), token(2))).toBe(0n);
  });
});

import { maxUint256 } from "viem";
import { describe, expect, test } from "vitest";
import { approvalsFor } from "./fundCapture.ts";

describe("approvalsFor (the treasury's allowance to the escrow)", () => {
  test("default: nothing to send while the allowance covers the payment", () => {
    expect(approvalsFor(maxUint256, 25_000_000n)).toEqual([]);
    expect(approvalsFor(25_000_000n, 25_000_000n)).toEqual([]);
  });

  test("default: from zero, one approval of the maximum", () => {
    expect(approvalsFor(0n, 25_000_000n)).toEqual([maxUint256]);
  });

  test("behavior: from a smaller non-zero allowance, through zero first (USDT refuses non-zero to non-zero)", () => {
    // contracts/test/PaymentEscrow/TetherLike.t.sol and the TetherLikeStablecoin model show the refusal.
    expect(approvalsFor(1n, 25_000_000n)).toEqual([0n, maxUint256]);
  });
});

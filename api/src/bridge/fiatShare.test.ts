import { formatMinorUnits, parseMinorUnits } from "@pier/money/units";
import { describe, expect, test } from "vitest";
import { fiatShare } from "./fiatRefunds.ts";

/** Refunds `parts` (token units) one after another; returns each fiat refund as a decimal string. */
function refundInParts(captured: string, currency: string, totalTokens: bigint, parts: bigint[]): string[] {
  const totalFiat = parseMinorUnits(captured, currency);
  let priorTokens = 0n;
  let priorFiat = 0n;
  return parts.map((tokens) => {
    const fiat = fiatShare({ totalFiat, totalTokens, priorTokens, priorFiat, tokens });
    priorTokens += tokens;
    priorFiat += fiat;
    return formatMinorUnits(fiat, currency);
  });
}

describe("fiatShare", () => {
  test("default: a partial refund is the same fraction of the capture, rounded down to the cent", () => {
    expect(refundInParts("21.75", "EUR", 25_000_000n, [10_000_000n])).toEqual(["8.70"]);
  });

  test("behavior: the refund that completes the order takes exactly what is left (EUR, JPY, KWD)", () => {
    const eur = refundInParts("10.01", "EUR", 3_000_000n, [1_000_000n, 1_000_000n, 1_000_000n]);
    expect(eur).toEqual(["3.33", "3.33", "3.35"]);
    const jpy = refundInParts("3931", "JPY", 25_000_000n, [7_000_000n, 18_000_000n]);
    expect(jpy).toEqual(["1100", "2831"]);
    const kwd = refundInParts("7.687", "KWD", 25_000_000n, [12_500_000n, 12_500_000n]);
    expect(kwd).toEqual(["3.843", "3.844"]);
  });

  test("behavior: a single full refund returns the whole capture", () => {
    expect(refundInParts("3931", "JPY", 25_000_000n, [25_000_000n])).toEqual(["3931"]);
  });
});

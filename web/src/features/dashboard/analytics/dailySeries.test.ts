import type { DailyReport } from "@pier/client/types";
import { describe, expect, test } from "vitest";
import { dailySeries, reportTokens } from "./dailySeries.ts";

const USDC = "0x00000000000000000000000000000000000000aa";
const OTHER = "0x00000000000000000000000000000000000000bb";

const row = (over: Partial<DailyReport>): DailyReport => ({
  object: "daily_report",
  day: "2030-01-02",
  token: USDC,
  symbol: "tUSDC",
  decimals: 6,
  volume: "0",
  payments: 0,
  fees: "0",
  refunds: "0",
  released: "0",
  ...over,
});

const rows = [
  row({ volume: "25000000", payments: 1, fees: "250000" }),
  // Another token the same day: 18 decimals, unknown to the API. Summing it into USDC's figures (with
  // USDC's 6 decimals) would report a trillion dollars of volume.
  row({ token: OTHER, symbol: null, decimals: null, volume: "3000000000000000000", payments: 2 }),
  row({ day: "2030-01-03", token: `0x${USDC.slice(2).toUpperCase()}`, volume: "5000000", payments: 1 }),
];

describe("dailySeries", () => {
  test("default: one token's days, missing days zero", () => {
    expect(dailySeries(rows, "2030-01-01", "2030-01-03", USDC)).toEqual([
      { day: "2030-01-01", volume: 0n, payments: 0, fees: 0n, refunds: 0n },
      { day: "2030-01-02", volume: 25_000_000n, payments: 1, fees: 250_000n, refunds: 0n },
      { day: "2030-01-03", volume: 5_000_000n, payments: 1, fees: 0n, refunds: 0n },
    ]);
  });

  test("behavior: tokens are never summed together; each keeps its own decimals", () => {
    expect(dailySeries(rows, "2030-01-02", "2030-01-02", OTHER)).toEqual([
      { day: "2030-01-02", volume: 3_000_000_000_000_000_000n, payments: 2, fees: 0n, refunds: 0n },
    ]);
    expect(reportTokens(rows)).toEqual([
      { token: USDC, symbol: "tUSDC", decimals: 6, volume: 30_000_000n },
      { token: OTHER, symbol: null, decimals: null, volume: 3_000_000_000_000_000_000n },
    ]);
  });

  test("edge: no rows, no tokens", () => {
    expect(reportTokens([])).toEqual([]);
    expect(dailySeries([], "2030-01-01", "2030-01-01", USDC)[0]!.volume).toBe(0n);
  });
});

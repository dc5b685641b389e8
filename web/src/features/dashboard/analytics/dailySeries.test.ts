import type { DailyReport } from "@pier/client/types";
import { describe, expect, test } from "vitest";
import { dailySeries, reportTokens } from "./dailySeries.ts";

const USDC = "0x00000000000000000000000000000000000000aa";
const OTHER = "0x00000000000000000000000000000000000000bb";
const key = (token: string, chainId = 31337) => `${chainId}:${token}`;

const row = (over: Partial<DailyReport>): DailyReport => ({
  object: "daily_report",
  chain_id: 31337,
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
    expect(dailySeries(rows, "2030-01-01", "2030-01-03", key(USDC))).toEqual([
      { day: "2030-01-01", volume: 0n, payments: 0, fees: 0n, refunds: 0n },
      { day: "2030-01-02", volume: 25_000_000n, payments: 1, fees: 250_000n, refunds: 0n },
      { day: "2030-01-03", volume: 5_000_000n, payments: 1, fees: 0n, refunds: 0n },
    ]);
  });

  test("behavior: tokens are never summed together; each keeps its own decimals", () => {
    expect(dailySeries(rows, "2030-01-02", "2030-01-02", key(OTHER))).toEqual([
      { day: "2030-01-02", volume: 3_000_000_000_000_000_000n, payments: 2, fees: 0n, refunds: 0n },
    ]);
    expect(reportTokens(rows)).toEqual([
      { key: key(USDC), chainId: 31337, token: USDC, symbol: "tUSDC", decimals: 6, volume: 30_000_000n },
      {
        key: key(OTHER),
        chainId: 31337,
        token: OTHER,
        symbol: null,
        decimals: null,
        volume: 3_000_000_000_000_000_000n,
      },
    ]);
  });

  test("behavior: one token address on two networks is two series, never summed", () => {
    const twoChains = [row({ volume: "1000000" }), row({ chain_id: 1337, volume: "7000000" })];
    expect(reportTokens(twoChains).map((t) => [t.key, t.volume])).toEqual([
      [key(USDC, 1337), 7_000_000n],
      [key(USDC), 1_000_000n],
    ]);
    expect(dailySeries(twoChains, "2030-01-02", "2030-01-02", key(USDC, 1337))[0]!.volume).toBe(7_000_000n);
  });

  test("edge: no rows, no tokens", () => {
    expect(reportTokens([])).toEqual([]);
    expect(dailySeries([], "2030-01-01", "2030-01-01", key(USDC))[0]!.volume).toBe(0n);
  });
});

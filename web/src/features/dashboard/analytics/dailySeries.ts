/**
 * Daily report rows -> one series per network and token, one point per day (missing days are zero).
 * Tokens are never summed together, nor one token address across networks: each has its own decimals (a token the API does not know has none: raw units).
 * Amounts stay bigint; the charts get whole-token numbers for plotting only (display, not accounting).
 */

import type { DailyReport } from "@pier/client/types";
import { unitsToDecimal } from "@pier/money/units";

export interface DailyPoint {
  day: string;
  volume: bigint;
  payments: number;
  fees: bigint;
  refunds: bigint;
}

export interface ReportToken {
  /** `<chain id>:<token address, lower case>`: what dailySeries selects by. */
  key: string;
  chainId: number;
  token: string;
  /** Null for a token other than the API's: its amounts are shown in raw units. */
  symbol: string | null;
  decimals: number | null;
  volume: bigint;
}

const keyOf = (r: Pick<DailyReport, "chain_id" | "token">) => `${r.chain_id}:${r.token.toLowerCase()}`;

/** The tokens in the report, per network, the API's own (known decimals) first, then by volume. */
export function reportTokens(rows: DailyReport[]): ReportToken[] {
  const byToken = new Map<string, ReportToken>();
  for (const r of rows) {
    const key = keyOf(r);
    const t = byToken.get(key) ?? {
      key,
      chainId: r.chain_id,
      token: r.token,
      symbol: r.symbol,
      decimals: r.decimals,
      volume: 0n,
    };
    t.volume += BigInt(r.volume);
    byToken.set(key, t);
  }
  return [...byToken.values()].sort(
    (a, b) =>
      Number(b.decimals !== null) - Number(a.decimals !== null) ||
      (b.volume > a.volume ? 1 : b.volume < a.volume ? -1 : 0),
  );
}

/** One token's days (`key` from reportTokens): rows of other tokens or networks are left out. */
export function dailySeries(rows: DailyReport[], from: string, to: string, key: string): DailyPoint[] {
  const byDay = new Map<string, DailyPoint>();
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    byDay.set(day, { day, volume: 0n, payments: 0, fees: 0n, refunds: 0n });
  }
  for (const r of rows) {
    if (keyOf(r) !== key.toLowerCase()) continue;
    const p = byDay.get(r.day);
    if (!p) continue;
    p.volume += BigInt(r.volume);
    p.payments += r.payments;
    p.fees += BigInt(r.fees);
    p.refunds += BigInt(r.refunds);
  }
  return [...byDay.values()];
}

/** The one float of the dashboard: a y value for the chart library, never shown as an amount or summed. */
export const plotNumber = (units: bigint, decimals: number) => Number(unitsToDecimal(units, decimals));

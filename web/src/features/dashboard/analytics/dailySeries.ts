/**
 * Daily report rows -> one point per day (missing days are zero), summed over the settlement token's rows.
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

export function dailySeries(rows: DailyReport[], from: string, to: string): DailyPoint[] {
  const byDay = new Map<string, DailyPoint>();
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    byDay.set(day, { day, volume: 0n, payments: 0, fees: 0n, refunds: 0n });
  }
  for (const r of rows) {
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

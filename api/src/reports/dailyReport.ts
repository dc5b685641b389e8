/**
 * A merchant's day-by-day figures from the indexer's `merchant_daily` aggregates (on-chain truth, keyed by
 * the merchant's payout address): volume paid into escrow, payments, fees, refunds and net released.
 */
import type { Db } from "../db/pool.ts";

export interface DailyRow {
  day: string;
  token: string;
  volume: string;
  payments: number;
  fees: string;
  refunds: string;
  released: string;
}

export async function dailyReport(
  db: Db,
  input: { indexerSchema: string; chainId: number; payoutAddress: string; from: string; to: string },
): Promise<DailyRow[]> {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(input.indexerSchema)) throw new Error("bad indexer schema name");
  const { rows } = await db.query<DailyRow>(
    `SELECT day, token, volume::text AS volume, payments, fees::text AS fees, refunds::text AS refunds,
            released::text AS released
       FROM "${input.indexerSchema}".merchant_daily
      WHERE chain_id = $1 AND lower(merchant) = lower($2) AND day >= $3 AND day <= $4
      ORDER BY day, token`,
    [input.chainId, input.payoutAddress, input.from, input.to],
  );
  return rows;
}

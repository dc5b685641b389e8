/**
 * How far the indexer has got on our chain, read from Ponder's `_ponder_checkpoint` table. A checkpoint
 * is a fixed-width digit string: 10 digits of block timestamp, 16 of chain id, 16 of block number, ...
 */
import type { Db } from "../db/pool.ts";
import type { IndexerTables } from "./indexerTables.ts";

export interface IndexerProgress {
  blockNumber: bigint;
  timestamp: bigint;
}

export async function indexerProgress(
  db: Db,
  tables: IndexerTables,
  chainId: number,
): Promise<IndexerProgress | undefined> {
  try {
    const { rows } = await db.query<{ checkpoint: string }>(
      `SELECT latest_checkpoint AS checkpoint FROM ${tables.checkpoint} WHERE chain_id = $1`,
      [chainId],
    );
    return parseCheckpoint(rows[0]?.checkpoint);
  } catch {
    // The indexer has not created its tables yet.
    return undefined;
  }
}

/** The block number and timestamp of a checkpoint string; undefined for none. */
export function parseCheckpoint(cp: string | null | undefined): IndexerProgress | undefined {
  if (!cp || cp.length < 42) return undefined;
  return { timestamp: BigInt(cp.slice(0, 10)), blockNumber: BigInt(cp.slice(26, 42)) };
}

/**
 * Signed attempts of a transaction intent (table chain_tx_attempts): the original, each fee bump and a
 * no-op cancel, all at the intent's nonce. Stored before they are broadcast, so after a crash every
 * hash that may be mined is known; a receipt for any of them ends the intent.
 */
import type { Db } from "../db/pool.ts";
import type { Fees } from "./fees.ts";

export type AttemptPurpose = "original" | "fee_bump" | "cancel";

export interface AttemptRow {
  id: string;
  chain_tx_id: string;
  nonce: string;
  purpose: AttemptPurpose;
  tx_hash: string;
  raw_tx: string;
  gas: string;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
  signed_at_block: string;
  broadcasts: number;
  rejected: boolean;
  last_error: string | null;
}

export function feesOf(a: AttemptRow): Fees {
  return {
    maxFeePerGas: BigInt(a.max_fee_per_gas),
    maxPriorityFeePerGas: BigInt(a.max_priority_fee_per_gas),
  };
}

/** Attempts of these intents, oldest first, grouped by intent id. */
export async function loadAttempts(db: Db, chainTxIds: string[]): Promise<Map<string, AttemptRow[]>> {
  const byTx = new Map<string, AttemptRow[]>();
  if (chainTxIds.length === 0) return byTx;
  const { rows } = await db.query<AttemptRow>(
    "SELECT * FROM chain_tx_attempts WHERE chain_tx_id = ANY ($1) ORDER BY id",
    [chainTxIds],
  );
  for (const a of rows) {
    const list = byTx.get(a.chain_tx_id) ?? [];
    list.push(a);
    byTx.set(a.chain_tx_id, list);
  }
  return byTx;
}

export async function insertAttempt(
  tx: Db,
  a: {
    chainTxId: string;
    chainId: number;
    signer: string;
    genesis: string;
    nonce: number;
    purpose: AttemptPurpose;
    hash: string;
    raw: string;
    gas: bigint;
    fees: Fees;
    signedAtBlock: bigint;
  },
): Promise<AttemptRow> {
  const { rows } = await tx.query<AttemptRow>(
    `INSERT INTO chain_tx_attempts (chain_tx_id, chain_id, signer, genesis_hash, nonce, purpose, tx_hash, raw_tx,
       gas, max_fee_per_gas, max_priority_fee_per_gas, signed_at_block)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
    [
      a.chainTxId,
      a.chainId,
      a.signer,
      a.genesis,
      a.nonce,
      a.purpose,
      a.hash,
      a.raw,
      a.gas.toString(),
      a.fees.maxFeePerGas.toString(),
      a.fees.maxPriorityFeePerGas.toString(),
      a.signedAtBlock.toString(),
    ],
  );
  return rows[0]!;
}

/** Records what the node answered to a broadcast: accepted (or already known), or refused and why. */
export async function recordBroadcast(
  db: Db,
  attemptId: string,
  result: { accepted: boolean; rejected?: boolean; error?: string },
): Promise<void> {
  await db.query(
    `UPDATE chain_tx_attempts SET broadcasts = broadcasts + $2, last_broadcast_at = CASE WHEN $2 = 1 THEN now() ELSE last_broadcast_at END,
            rejected = rejected OR $3, last_error = $4 WHERE id = $1`,
    [attemptId, result.accepted ? 1 : 0, result.rejected ?? false, result.error ?? null],
  );
}

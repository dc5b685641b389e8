/**
 * Chain identity: a chain is its id AND its genesis block hash. A restarted dev chain (or an RPC that
 * now serves another network under the same id) has the same id and another genesis, and nothing of
 * the old one exists there: no nonces, no payments, no pending transactions.
 *
 * - `chain_identity` holds the genesis last observed per chain id; new intents are stamped with it.
 * - `chain_signer_state` holds a signer's nonce count for one genesis; another genesis resets it.
 * - Open intents stamped with another genesis are abandoned (settleChainTx.ts), and the reset is
 *   recorded in `chain_resets` for the operator (/readyz, `pier status`).
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import type { ChainTxRow } from "./chainTxs.ts";
import { abandonChainTx } from "./settleChainTx.ts";

export interface SignerState {
  chain_id: number;
  signer: string;
  genesis_hash: string;
  next_nonce: string;
}

/** Stores the genesis observed now at this chain id; returns the one stored before (undefined: first). */
export async function recordChainIdentity(
  db: Db,
  chainId: number,
  genesis: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ previous: string | null }>(
    `WITH old AS (SELECT genesis_hash FROM chain_identity WHERE chain_id = $1)
     INSERT INTO chain_identity (chain_id, genesis_hash) VALUES ($1, $2)
     ON CONFLICT (chain_id) DO UPDATE SET genesis_hash = EXCLUDED.genesis_hash, observed_at = now()
     RETURNING (SELECT genesis_hash FROM old) AS previous`,
    [chainId, genesis.toLowerCase()],
  );
  return rows[0]?.previous ?? undefined;
}

/**
 * The signer's nonce state for `genesis`: created on first use; reset (next nonce 0: the node's count
 * then decides, nonces.ts) when it belonged to another genesis, which is recorded as a chain reset.
 */
export async function signerStateFor(
  ctx: AppContext,
  chainId: number,
  signer: string,
  genesis: string,
): Promise<{ state: SignerState; reset?: { previous: string } }> {
  return withTransaction(ctx.pool, async (tx) => {
    const existing = (
      await tx.query<SignerState>(
        "SELECT * FROM chain_signer_state WHERE chain_id = $1 AND signer = $2 FOR UPDATE",
        [chainId, signer],
      )
    ).rows[0];
    if (existing?.genesis_hash === genesis) return { state: existing };
    const { rows } = await tx.query<SignerState>(
      `INSERT INTO chain_signer_state (chain_id, signer, genesis_hash, next_nonce) VALUES ($1, $2, $3, 0)
       ON CONFLICT (chain_id, signer) DO UPDATE SET genesis_hash = EXCLUDED.genesis_hash, next_nonce = 0,
         updated_at = now()
       RETURNING *`,
      [chainId, signer, genesis],
    );
    if (!existing) return { state: rows[0]! };
    await tx.query(
      "INSERT INTO chain_resets (chain_id, signer, previous_genesis, genesis_hash) VALUES ($1, $2, $3, $4)",
      [chainId, signer, existing.genesis_hash, genesis],
    );
    return { state: rows[0]!, reset: { previous: existing.genesis_hash } };
  });
}

/**
 * Abandons these open intents of `signer` (each stamped with a genesis other than `genesis`, or sent by
 * an older version to a chain the node does not know) in one transaction, adds them to the latest
 * reset record, and returns the ones abandoned.
 */
export async function abandonForeign(
  ctx: AppContext,
  chainId: number,
  signer: string,
  genesis: string,
  rows: ChainTxRow[],
  reason: (row: ChainTxRow) => { code: string; message: string },
): Promise<ChainTxRow[]> {
  if (rows.length === 0) return [];
  const done = await withTransaction(ctx.pool, async (tx) => {
    const abandoned: ChainTxRow[] = [];
    for (const row of rows) if (await abandonChainTx(ctx, tx, row, reason(row))) abandoned.push(row);
    if (abandoned.length === 0) return abandoned;
    const updated = await tx.query(
      `UPDATE chain_resets SET abandoned = abandoned + $4
        WHERE id = (SELECT max(id) FROM chain_resets WHERE chain_id = $1 AND signer = $2 AND genesis_hash = $3)`,
      [chainId, signer, genesis, abandoned.length],
    );
    if (updated.rowCount === 0) {
      await tx.query(
        `INSERT INTO chain_resets (chain_id, signer, previous_genesis, genesis_hash, abandoned)
         VALUES ($1, $2, $3, $4, $5)`,
        [chainId, signer, abandoned[0]!.genesis_hash, genesis, abandoned.length],
      );
    }
    return abandoned;
  });
  for (const row of done) {
    ctx.metrics.chainTxs.inc({ chain_id: String(chainId), kind: row.kind, result: "abandoned" });
    ctx.metrics.chainTxAbandoned.inc({ chain_id: String(chainId), signer });
    ctx.log.warn(
      {
        chainTxId: row.id,
        kind: row.kind,
        signer,
        nonce: row.nonce === null ? null : Number(row.nonce),
        txHash: row.tx_hash,
        intentGenesis: row.genesis_hash,
        chainGenesis: genesis,
        refundId: row.payload.refundId,
        fundingId: row.payload.fundingId,
        orderIds: row.payload.orderIds,
        ...reason(row),
      },
      "chain tx abandoned",
    );
  }
  return done;
}

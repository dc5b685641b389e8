/**
 * The keeper: finds escrows whose buyer-protection window has ended (never disputed or held ones, nor
 * ones with an open risk hold review) and queues one `releaseBatch` transaction per batch, sent by the
 * keeper key's sender queue. A batch that fails leaves its payments unreleased, so the next run picks
 * them up again; the contract skips any member that cannot be released, so one bad member never blocks
 * the others.
 */

import { paymentEscrowAbi } from "@pier/contracts/abis";
import { encodeFunctionData } from "viem";
import type { ChainContext } from "../chain/chainContext.ts";
import { createChainTx } from "../chain/chainTxs.ts";
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { indexerProgress } from "../indexer/indexerProgress.ts";
import type { OrderRow } from "../orders/orderRow.ts";
import { paymentRecordOf } from "../orders/paymentRecord.ts";

const KEEPER_LOCK = 0x4b45_4550; // "KEEP"

export interface KeeperRun {
  batches: number;
  payments: number;
}

/** One run; undefined when another process is running the keeper right now. */
export async function releaseMatured(ctx: AppContext, net: ChainContext): Promise<KeeperRun | undefined> {
  const head = await net.head.refresh();
  // Read first, outside the transaction (a missing table must not abort it); earlier is only more careful.
  const indexed = (await indexerProgress(ctx.pool, ctx.tables, net.chainId))?.blockNumber ?? -1n;
  return withTransaction(ctx.pool, async (tx) => {
    const locked = await tx.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1, $2) AS ok", [
      KEEPER_LOCK,
      net.chainId,
    ]);
    if (!locked.rows[0]?.ok) return undefined;
    const size = ctx.config.keeperBatchSize;
    const { rows } = await tx.query<OrderRow>(
      `SELECT o.* FROM orders o
         JOIN ${ctx.tables.payment} p ON p.chain_id = o.chain_id AND p.id = o.payment_id
        WHERE o.chain_id = $1 AND o.status = 'escrowed'
          AND p.status = 'escrowed' AND NOT p.disputed AND NOT p.held AND p.release_after <= $2
          AND NOT EXISTS (
            SELECT 1 FROM chain_txs c
             WHERE c.chain_id = o.chain_id AND c.kind IN ('release', 'release_batch', 'refund', 'resolve', 'hold')
               AND c.payload->'paymentIds' ? o.payment_id
               -- Mined but not indexed yet: the payment still reads escrowed, and is not ours to send again.
               -- Once the indexer is past the block, a member still escrowed was skipped by the contract.
               AND (c.status IN ('queued', 'sent') OR (c.status = 'confirmed' AND c.block_number > $4)))
          -- A fiat payment reversed after funding (bridge/handleFiatEvent.ts): skipped until its hold is sent.
          AND NOT EXISTS (
            SELECT 1 FROM fiat_funding f
              JOIN fiat_capture fc ON fc.provider = f.provider AND fc.capture_ref = f.capture_ref
             WHERE f.order_id = o.id AND fc.status = 'reversed'
               AND NOT EXISTS (SELECT 1 FROM chain_txs h WHERE h.kind = 'hold' AND h.payload->'paymentIds' ? o.payment_id))
          -- A risk hold under review (risk/): skipped even before its setHold transaction is mined.
          AND NOT EXISTS (
            SELECT 1 FROM risk_reviews r WHERE r.order_id = o.id AND r.status = 'open' AND r.outcome = 'hold')
        ORDER BY p.release_after, o.seq
        LIMIT $3`,
      [net.chainId, head.timestamp.toString(), size * 10, indexed.toString()],
    );
    let batches = 0;
    for (let i = 0; i < rows.length; i += size) {
      const batch = rows.slice(i, i + size);
      await createChainTx(tx, net, {
        signer: net.signers.keeper,
        kind: "release_batch",
        data: encodeFunctionData({
          abi: paymentEscrowAbi,
          functionName: "releaseBatch",
          args: [batch.map(paymentRecordOf)],
        }),
        refs: { orderIds: batch.map((o) => o.id), paymentIds: batch.map((o) => o.payment_id) },
      });
      batches++;
    }
    if (rows.length > 0)
      ctx.log.info({ chainId: net.chainId, payments: rows.length, batches }, "keeper queued releases");
    return { batches, payments: rows.length };
  });
}

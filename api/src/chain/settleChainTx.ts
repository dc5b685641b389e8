/**
 * Ends a transaction intent, once, with what happened to it, and tells the domain that asked for it in
 * the same database transaction: a refund (`settleRefund`: refund.succeeded / refund.failed) or a fiat
 * funding (`settleFunding`: funded, or an incident and the capture refunded). Three ways to end:
 *
 *   confirmed  a receipt of one of its attempts, successful
 *   failed     reverted in simulation or on chain, or its nonce was filled by a no-op (cancel_code)
 *   abandoned  its chain is gone (new genesis under the same chain id): never mined there
 */
import { settleFunding } from "../bridge/settleFunding.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { settleDuplicateRefund } from "../orders/foreignPayments.ts";
import { settleRefund } from "../refunds/refunds.ts";
import { settleRelay } from "../relay/relays.ts";
import { settleCharge } from "../subscriptions/settleCharge.ts";
import type { ChainTxRow } from "./chainTxs.ts";

/** The mined attempt's gas, from its receipt: what the signer paid. */
export interface GasPaid {
  gasUsed: bigint;
  effectiveGasPrice: bigint;
}

/** Wei the signer paid for the mined attempt. */
export const feeWei = (gas: GasPaid): bigint => gas.gasUsed * gas.effectiveGasPrice;

export type ChainTxOutcome =
  | { ok: true; txHash: string; blockNumber: bigint; gas?: GasPaid }
  | { ok: false; txHash: string | null; code: string; message: string; blockNumber?: bigint; gas?: GasPaid };

/** Returns false when the intent had already ended (another driver, a replayed tick): nothing done. */
export async function finishChainTx(
  ctx: AppContext,
  row: ChainTxRow,
  outcome: ChainTxOutcome,
): Promise<boolean> {
  const finished = await withTransaction(ctx.pool, async (tx) => {
    const updated = await tx.query(
      `UPDATE chain_txs SET status = $2, block_number = $3, error_code = $4, error_message = $5,
              tx_hash = COALESCE($6, tx_hash), gas_used = $7, fee_wei = $8, stuck_reason = NULL, updated_at = now()
        WHERE id = $1 AND status IN ('queued', 'sent')`,
      [
        row.id,
        outcome.ok ? "confirmed" : "failed",
        outcome.blockNumber?.toString() ?? null,
        outcome.ok ? null : outcome.code,
        outcome.ok ? null : outcome.message,
        outcome.txHash,
        outcome.gas?.gasUsed.toString() ?? null,
        outcome.gas ? feeWei(outcome.gas).toString() : null,
      ],
    );
    if (updated.rowCount === 0) return false;
    if (outcome.txHash && outcome.blockNumber !== undefined) {
      await tx.query("UPDATE chain_tx_attempts SET mined_block = $2 WHERE tx_hash = $1", [
        outcome.txHash,
        outcome.blockNumber.toString(),
      ]);
    }
    await settleDomain(ctx, tx, row, outcome);
    return true;
  });
  if (!finished) return false;
  ctx.metrics.chainTxs.inc({
    chain_id: String(row.chain_id),
    kind: row.kind,
    result: outcome.ok ? "confirmed" : "failed",
  });
  const { blockNumber, ...rest } = outcome;
  const nonce = row.nonce === null ? null : Number(row.nonce);
  const fields = { chainTxId: row.id, kind: row.kind, signer: row.signer, nonce, ...rest };
  if (outcome.ok) ctx.log.info({ ...fields, blockNumber: blockNumber?.toString() }, "chain tx finished");
  else ctx.log.warn({ ...fields, blockNumber: blockNumber?.toString() }, "chain tx finished");
  return true;
}

/**
 * Abandons an open intent of a chain that is gone. Its refund or funding fails with `code` (the
 * merchant gets refund.failed; a fiat funding records an incident and refunds the capture).
 */
export async function abandonChainTx(
  ctx: AppContext,
  tx: Db,
  row: ChainTxRow,
  reason: { code: string; message: string },
): Promise<boolean> {
  const updated = await tx.query(
    `UPDATE chain_txs SET status = 'abandoned', error_code = $2, error_message = $3, stuck_reason = NULL,
            updated_at = now()
      WHERE id = $1 AND status IN ('queued', 'sent')`,
    [row.id, reason.code, reason.message],
  );
  if (updated.rowCount === 0) return false;
  await settleDomain(ctx, tx, row, { ok: false, txHash: null, ...reason });
  return true;
}

async function settleDomain(
  ctx: AppContext,
  tx: Db,
  row: ChainTxRow,
  outcome: ChainTxOutcome,
): Promise<void> {
  if (row.kind === "refund" && row.payload.refundId)
    await settleRefund(ctx, tx, row.payload.refundId, outcome);
  if (row.kind === "refund" && row.payload.duplicateId)
    await settleDuplicateRefund(ctx, tx, row.payload.duplicateId, outcome);
  if (row.kind === "fund" && row.payload.fundingId)
    await settleFunding(ctx, tx, row.payload.fundingId, outcome);
  if (row.kind === "relay" && row.payload.relayId) await settleRelay(tx, row.payload.relayId, outcome);
  if (row.kind === "subscription_charge" && row.payload.invoiceId)
    await settleCharge(ctx, tx, row.payload.invoiceId, outcome);
}

/**
 * Sends one stored transaction intent; the job handler of each signer's sender queue (one job at a
 * time per signer, so nonces never collide). Idempotent across crashes:
 *
 *   queued -> simulate (a revert fails the intent for good, with the decoded custom error)
 *          -> pick the nonce, sign locally, store raw tx + hash (commit) -> broadcast -> wait
 *   sent   -> re-broadcast the very same raw tx (same nonce and hash) -> wait for its receipt
 *
 * So a crash after broadcasting never sends a second, different transaction. If our nonce was taken
 * by some other transaction of the key, the intent goes back to `queued` and is simulated again.
 */
import { type Hex, keccak256, type LocalAccount } from "viem";
import { settleFunding } from "../bridge/settleFunding.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { settleRefund } from "../refunds/refunds.ts";
import type { ChainTxRow } from "./chainTxs.ts";
import { decodeRevert } from "./decodeRevert.ts";

const RECEIPT_TIMEOUT_MS = 120_000;

export async function sendChainTx(ctx: AppContext, chainTxId: string): Promise<void> {
  const row = await load(ctx.pool, chainTxId);
  if (!row || row.status === "confirmed" || row.status === "failed") return;
  const account = signerFor(ctx, row.signer);
  const client = ctx.chain.client;
  let current = row;
  if (current.status === "queued") {
    try {
      await client.call({ account, to: current.payload.to ?? ctx.chain.escrow, data: current.payload.data });
    } catch (error) {
      const revert = decodeRevert(error);
      if (!revert) throw error; // transient: pg-boss retries with backoff
      await finish(ctx, current, { ok: false, txHash: null, code: revert.code, message: revert.message });
      return;
    }
    current = await signAndStore(ctx, current, account);
  }
  const raw = current.raw_tx as Hex;
  const hash = current.tx_hash as Hex;
  try {
    await client.sendRawTransaction({ serializedTransaction: raw });
  } catch (error) {
    const message = String((error as Error).message ?? error);
    if (
      !/already known|known transaction|nonce too low|already imported|nonce has already been used/i.test(
        message,
      )
    ) {
      throw error;
    }
    if (/nonce too low|nonce has already been used/i.test(message)) {
      const receipt = await client.getTransactionReceipt({ hash }).catch(() => undefined);
      if (!receipt) {
        // Our nonce went to another transaction of this key: ours can never be mined; try again afresh.
        await ctx.pool.query(
          "UPDATE chain_txs SET status = 'queued', raw_tx = NULL, tx_hash = NULL, nonce = NULL WHERE id = $1",
          [current.id],
        );
        throw new Error(
          `nonce ${current.nonce} of ${current.signer} was used by another transaction; re-queued`,
        );
      }
    }
  }
  const receipt = await client.waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS });
  if (receipt.status === "success") {
    await finish(ctx, current, { ok: true, txHash: hash, blockNumber: receipt.blockNumber });
  } else {
    await finish(ctx, current, {
      ok: false,
      txHash: hash,
      code: "reverted",
      message: "the transaction reverted",
    });
  }
}

async function load(db: Db, id: string): Promise<ChainTxRow | undefined> {
  return (await db.query<ChainTxRow>("SELECT * FROM chain_txs WHERE id = $1", [id])).rows[0];
}

function signerFor(ctx: AppContext, address: string): LocalAccount {
  const { operator, keeper, arbiter, treasury, bridgeSigner } = ctx.chain.signers;
  const match = [operator, keeper, arbiter, treasury, bridgeSigner].find(
    (a) => a?.address.toLowerCase() === address.toLowerCase(),
  );
  if (!match) throw new Error(`no key configured for signer ${address}`);
  return match;
}

async function signAndStore(ctx: AppContext, row: ChainTxRow, account: LocalAccount): Promise<ChainTxRow> {
  const client = ctx.chain.client;
  const [pendingNonce, stored, gas, fees] = await Promise.all([
    client.getTransactionCount({ address: account.address, blockTag: "pending" }),
    ctx.pool.query<{ max: string | null }>(
      "SELECT max(nonce)::text AS max FROM chain_txs WHERE chain_id = $1 AND signer = $2 AND status IN ('sent', 'confirmed')",
      [row.chain_id, row.signer],
    ),
    client.estimateGas({ account, to: row.payload.to ?? ctx.chain.escrow, data: row.payload.data }),
    client.estimateFeesPerGas(),
  ]);
  const storedNext =
    stored.rows[0]?.max === null || stored.rows[0]?.max === undefined ? 0 : Number(stored.rows[0].max) + 1;
  const nonce = Math.max(pendingNonce, storedNext);
  const raw = await account.signTransaction({
    chainId: ctx.chain.chainId,
    type: "eip1559",
    to: row.payload.to ?? ctx.chain.escrow,
    data: row.payload.data,
    nonce,
    // 20% headroom: state can change between estimate and inclusion (a batch's members, for instance).
    gas: (gas * 12n) / 10n,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
  });
  const hash = keccak256(raw);
  const { rows } = await ctx.pool.query<ChainTxRow>(
    `UPDATE chain_txs SET status = 'sent', nonce = $2, raw_tx = $3, tx_hash = $4, attempts = attempts + 1, updated_at = now()
      WHERE id = $1 AND status = 'queued' RETURNING *`,
    [row.id, nonce, raw, hash],
  );
  if (!rows[0]) throw new Error(`chain tx ${row.id} changed while being signed`);
  ctx.log.info(
    { chainTxId: row.id, kind: row.kind, nonce, txHash: hash, signer: row.signer },
    "chain tx signed",
  );
  return rows[0];
}

type Outcome =
  | { ok: true; txHash: string; blockNumber: bigint }
  | { ok: false; txHash: string | null; code: string; message: string };

async function finish(ctx: AppContext, row: ChainTxRow, outcome: Outcome): Promise<void> {
  const finished = await withTransaction(ctx.pool, async (tx) => {
    // Once only: a job retried after a missed heartbeat can run beside its first attempt, and both may
    // see the same receipt.
    const updated = await tx.query(
      `UPDATE chain_txs SET status = $2, block_number = $3, error_code = $4, error_message = $5, updated_at = now()
        WHERE id = $1 AND status IN ('queued', 'sent')`,
      [
        row.id,
        outcome.ok ? "confirmed" : "failed",
        outcome.ok ? outcome.blockNumber.toString() : null,
        outcome.ok ? null : outcome.code,
        outcome.ok ? null : outcome.message,
      ],
    );
    if (updated.rowCount === 0) return false;
    if (row.kind === "refund" && row.payload.refundId)
      await settleRefund(ctx, tx, row.payload.refundId, outcome);
    if (row.kind === "fund" && row.payload.fundingId)
      await settleFunding(ctx, tx, row.payload.fundingId, outcome);
    return true;
  });
  if (!finished) return;
  ctx.metrics.chainTxs.inc({ kind: row.kind, result: outcome.ok ? "confirmed" : "failed" });
  const log = outcome.ok ? ctx.log.info.bind(ctx.log) : ctx.log.warn.bind(ctx.log);
  log({ chainTxId: row.id, kind: row.kind, ...outcome, blockNumber: undefined }, "chain tx finished");
}

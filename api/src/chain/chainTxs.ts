/**
 * Transactions the API must send (refund, early release, releaseBatch, resolve, hold) are first stored
 * as intents with their calldata, in the caller's transaction, together with a job on the signer's
 * sender queue. Nothing accepted is lost: the job survives a crash and the sender is idempotent.
 */
import type { Hex, LocalAccount } from "viem";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { bossDb, senderQueue } from "../jobs/queues.ts";
import { newId } from "../lib/ids.ts";

export type ChainTxKind =
  | "refund"
  | "release"
  | "release_batch"
  | "resolve"
  | "hold"
  | "fund"
  | "approve"
  | "sweep";

export interface ChainTxRow {
  id: string;
  chain_id: number;
  signer: string;
  kind: ChainTxKind;
  payload: {
    data: Hex;
    /** Target contract; the escrow when absent (the treasury's `approve`, the bridge's `sweep`: the token). */
    to?: Hex;
    refundId?: string;
    fundingId?: string;
    fiatRefundId?: string;
    orderIds?: string[];
    paymentIds?: string[];
  };
  status: "queued" | "sent" | "confirmed" | "failed";
  nonce: string | null;
  tx_hash: string | null;
  raw_tx: string | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
}

export async function createChainTx(
  ctx: AppContext,
  tx: Db,
  input: { signer: LocalAccount; kind: ChainTxKind; data: Hex; refs?: Omit<ChainTxRow["payload"], "data"> },
): Promise<string> {
  const id = newId("chainTx");
  await tx.query("INSERT INTO chain_txs (id, chain_id, signer, kind, payload) VALUES ($1, $2, $3, $4, $5)", [
    id,
    ctx.chain.chainId,
    input.signer.address.toLowerCase(),
    input.kind,
    JSON.stringify({ data: input.data, ...input.refs }),
  ]);
  await ctx.boss.send(
    senderQueue(ctx.chain.chainId, input.signer.address),
    { chainTxId: id },
    { db: bossDb(tx), retryLimit: 50, retryDelay: 1, retryBackoff: true, retryDelayMax: 60 },
  );
  return id;
}

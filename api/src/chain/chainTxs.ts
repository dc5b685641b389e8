/**
 * Transactions the API must send (refund, early release, releaseBatch, resolve, hold, fund, approve,
 * sweep) are first stored as intents with their calldata, in the caller's transaction, stamped with the
 * chain they are meant for (its genesis hash, chainIdentity.ts). The signer's sender (txSender.ts) picks
 * them up; a NOTIFY sent on commit wakes it at once. Nothing accepted is lost: the row is the queue.
 *
 *   queued -> sent (nonce assigned, signed, broadcast; fee bumps and re-broadcasts keep it here)
 *          -> confirmed | failed (a receipt for one of its attempts, or a revert in simulation)
 *   queued | sent -> abandoned (its chain was replaced under the same chain id; never mined there)
 */
import type { Hex, LocalAccount } from "viem";
import type { Db } from "../db/pool.ts";
import { newId } from "../lib/ids.ts";
import type { ChainContext } from "./chainContext.ts";

export type ChainTxKind =
  | "refund"
  | "release"
  | "release_batch"
  | "resolve"
  | "hold"
  | "fund"
  | "approve"
  | "sweep"
  /** escrow.withdraw(token, account): the keeper pays out a credit once the token allows (credits/). */
  | "withdraw"
  /** A zero-value self-transfer filling a nonce nothing else will use (txSender.ts). */
  | "noop"
  /** The relayer sends a customer's signed payment and pays its gas (relay/). */
  | "relay"
  /** The operator charges a subscription's spend permission for one invoice (subscriptions/chargeDue.ts). */
  | "subscription_charge";

export type ChainTxStatus = "queued" | "sent" | "confirmed" | "failed" | "abandoned";

export interface ChainTxRow {
  id: string;
  seq: string;
  chain_id: number;
  signer: string;
  kind: ChainTxKind;
  payload: {
    data: Hex;
    /** Target contract; the escrow when absent (the treasury's `approve`, the bridge's `sweep`: the token). */
    to?: Hex;
    refundId?: string;
    /** A refund of an order's second payment (orders/foreignPayments.ts). */
    duplicateId?: string;
    fundingId?: string;
    fiatRefundId?: string;
    relayId?: string;
    /** A subscription charge's invoice (subscription_invoices). */
    invoiceId?: string;
    orderIds?: string[];
    paymentIds?: string[];
    /** A `withdraw`'s credit: token and account, lower case. */
    credit?: { token: string; account: string };
  };
  status: ChainTxStatus;
  genesis_hash: string | null;
  /** bigint in SQL: a decimal string here. */
  nonce: string | null;
  /** The latest attempt's hash while open; the mined attempt's once finished. */
  tx_hash: string | null;
  raw_tx: string | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  cancel_code: string | null;
  cancel_message: string | null;
  stuck_reason: string | null;
  created_at: Date;
  first_sent_at: Date | null;
}

/** Channel of the NOTIFY that wakes a signer's sender; the payload is `<chain id>:<signer address>`. */
export const CHAIN_TX_CHANNEL = "pier_chain_tx";

export async function createChainTx(
  tx: Db,
  net: ChainContext,
  input: { signer: LocalAccount; kind: ChainTxKind; data: Hex; refs?: Omit<ChainTxRow["payload"], "data"> },
): Promise<string> {
  const id = newId("chainTx");
  const signer = input.signer.address.toLowerCase();
  // The chain this intent is for: the genesis the database last saw at this chain id (the sender keeps
  // it current), else the one this process verified at boot against its deployment.
  await tx.query(
    `INSERT INTO chain_txs (id, chain_id, signer, kind, payload, genesis_hash)
     VALUES ($1, $2, $3, $4, $5, COALESCE((SELECT genesis_hash FROM chain_identity WHERE chain_id = $2), $6))`,
    [
      id,
      net.chainId,
      signer,
      input.kind,
      JSON.stringify({ data: input.data, ...input.refs }),
      net.deployment.genesisHash.toLowerCase(),
    ],
  );
  await tx.query("SELECT pg_notify($1, $2)", [CHAIN_TX_CHANNEL, `${net.chainId}:${signer}`]);
  return id;
}

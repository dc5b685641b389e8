/**
 * Payments the chain has but the indexer does not (it is stopped, stuck or behind): the escrow's
 * PaymentEscrowed logs of the last LOOKBACK_BLOCKS blocks, read over RPC, for orders that still show no
 * payment. Reported as `paid_not_credited` (details.source "chain") like the indexed case, once the
 * payment's block is older than the grace period.
 */
import { paymentEscrowAbi } from "@pier/contracts/abis";
import type { ChainContext } from "../chain/chainContext.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import type { FoundRow } from "./checks.ts";

/** Kept small enough for public RPC providers' getLogs range limits. */
export const LOOKBACK_BLOCKS = 2_000n;

export async function unindexedPayments(
  ctx: AppContext,
  net: ChainContext,
  db: Db,
  chainNow: bigint,
  graceSeconds: number,
): Promise<FoundRow[]> {
  const client = net.client;
  const head = await client.getBlockNumber();
  const logs = await client.getContractEvents({
    address: net.escrow,
    abi: paymentEscrowAbi,
    eventName: "PaymentEscrowed",
    fromBlock: head > LOOKBACK_BLOCKS ? head - LOOKBACK_BLOCKS : 0n,
    toBlock: head,
  });
  if (logs.length === 0) return [];
  const byPayment = new Map(logs.map((l) => [String(l.args.paymentId).toLowerCase(), l]));
  const { rows } = await db.query<{
    id: string;
    merchant_id: string;
    livemode: boolean;
    payment_id: string;
    status: string;
  }>(
    `SELECT o.id, o.merchant_id, o.livemode, o.payment_id, o.status FROM orders o
      WHERE o.chain_id = $1 AND lower(o.payment_id) = ANY ($2) AND o.status IN ('open', 'expired', 'canceled')
        AND NOT EXISTS (SELECT 1 FROM ${ctx.tables.payment} p WHERE p.chain_id = o.chain_id AND p.id = o.payment_id)`,
    [net.chainId, [...byPayment.keys()]],
  );
  const found: FoundRow[] = [];
  for (const o of rows) {
    const log = byPayment.get(o.payment_id.toLowerCase());
    if (!log?.blockNumber) continue;
    const block = await client.getBlock({ blockNumber: log.blockNumber });
    if (block.timestamp >= chainNow - BigInt(graceSeconds)) continue;
    found.push({
      kind: "paid_not_credited",
      subject: o.id,
      merchant_id: o.merchant_id,
      livemode: o.livemode,
      order_id: o.id,
      details: {
        source: "chain",
        order_status: o.status,
        payment_id: o.payment_id,
        paid_tx_hash: log.transactionHash,
        block_number: log.blockNumber.toString(),
        amount: String(log.args.amount),
        payer: String(log.args.payer).toLowerCase(),
      },
    });
  }
  return found;
}

/**
 * An on-chain refund of a fiat-funded order pays the bridge (the payment's refund address); once the
 * provider has paid the customer back, those tokens belong to the treasury again. Queued in the same
 * transaction that marks the fiat refund `succeeded` (fiatRefunds.ts, or the provider's refund event):
 * the bridge's `transfer(treasury, token_amount)` as a durable chain_txs intent (kind `sweep`), claimed
 * through fiat_refund.sweep_chain_tx_id so each fiat refund is swept exactly once. Without a bridge key
 * (PIER_BRIDGE_KEY) the tokens stay at the bridge for the operator to move.
 */
import { encodeFunctionData, erc20Abi, type Hex } from "viem";
import { createChainTx } from "../chain/chainTxs.ts";
import { networkOf } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";

export async function queueSweep(ctx: AppContext, tx: Db, fiatRefundId: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ token_amount: string; chain_id: number; token: string }>(
    `SELECT r.token_amount::text, o.chain_id, o.token FROM fiat_refund r JOIN orders o ON o.id = r.order_id
      WHERE r.id = $1 AND r.status = 'succeeded' AND r.sweep_chain_tx_id IS NULL FOR UPDATE OF r`,
    [fiatRefundId],
  );
  const refund = rows[0];
  if (!refund) return undefined;
  // On the order's network, in its token: where the escrow refunded the bridge.
  const net = networkOf(ctx.networks, refund.chain_id);
  const { bridgeSigner, treasury } = net.signers;
  if (!bridgeSigner || !treasury) return undefined;
  const chainTxId = await createChainTx(tx, net, {
    signer: bridgeSigner,
    kind: "sweep",
    data: encodeFunctionData({
      abi: erc20Abi,
      functionName: "transfer",
      args: [treasury.address, BigInt(refund.token_amount)],
    }),
    refs: { to: refund.token as Hex, fiatRefundId },
  });
  await tx.query("UPDATE fiat_refund SET sweep_chain_tx_id = $2 WHERE id = $1", [fiatRefundId, chainTxId]);
  ctx.log.info(
    { fiatRefundId, chainTxId, amount: refund.token_amount },
    "refunded tokens: sweep to treasury queued",
  );
  return chainTxId;
}

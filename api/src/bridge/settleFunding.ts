/**
 * Called by the chain sender (chain/sendChainTx.ts) in its transaction once the treasury's payOnBehalf
 * is mined or has failed for good. The order itself moves through the indexer like any payment.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { recordIncident } from "./incidents.ts";
import { queueUnfundableRefund } from "./unfundable.ts";

export async function settleFunding(
  ctx: AppContext,
  tx: Db,
  fundingId: string,
  outcome: { ok: true; txHash: string } | { ok: false; txHash: string | null; code: string; message: string },
): Promise<void> {
  const { rows } = await tx.query<{
    session_id: string;
    order_id: string;
    provider: string;
    capture_ref: string;
  }>(
    `UPDATE fiat_funding SET status = $2, tx_hash = $3, failure_code = $4, failure_message = $5, completed_at = now()
      WHERE id = $1 AND status = 'pending' RETURNING session_id, order_id, provider, capture_ref`,
    [
      fundingId,
      outcome.ok ? "funded" : "failed",
      outcome.txHash,
      outcome.ok ? null : outcome.code,
      outcome.ok ? null : outcome.message,
    ],
  );
  const funding = rows[0];
  if (!funding) return;
  ctx.metrics.fiatEvents.inc({ kind: outcome.ok ? "funded" : "funding_failed" });
  if (!outcome.ok) {
    // The customer's money is captured but the escrow refused it (deadline passed, paid another way):
    // recorded for the reconciliation report, and the capture goes back to the customer (unfundable.ts).
    await recordIncident(tx, { id: funding.session_id, order_id: funding.order_id }, "funding_failed", {
      reason: outcome.code,
      message: outcome.message,
      txHash: outcome.txHash,
    });
    await queueUnfundableRefund(ctx, tx, { provider: funding.provider, captureRef: funding.capture_ref });
    ctx.log.error({ fundingId, orderId: funding.order_id, code: outcome.code }, "fiat funding failed");
  }
}

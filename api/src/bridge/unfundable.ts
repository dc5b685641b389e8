/**
 * A capture the bridge cannot turn into an escrow payment (the order was canceled, expired or paid
 * another way before the money arrived, or the escrow refused the treasury's payment) is refunded to
 * the customer in full through the provider, automatically:
 *
 *   fundCapture / settleFunding   record the `funding_failed` incident and queue a job, in their transaction
 *   refundUnfundable (that job)   provider.refund(full capture, idempotency key per capture), then marks
 *                                 the capture and its session `refunded` and writes the provider's refund
 *                                 into the incident's detail (`auto_refund`), in one transaction
 *
 * A retry or a duplicate job reuses the same idempotency key, so the provider refunds once; a capture
 * that is no longer `captured` (already refunded or reversed) or that funded an escrow is left alone.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { FiatError } from "../fiat/errors.ts";
import { bossDb } from "../jobs/queues.ts";
import { requireProvider } from "./fiatContext.ts";
import { recordIncident } from "./incidents.ts";
import { FIAT_JOB_OPTIONS, FIAT_REFUND_QUEUE } from "./queues.ts";
import { lockSession } from "./sessionRow.ts";

export interface UnfundableCapture {
  provider: string;
  captureRef: string;
}

export async function queueUnfundableRefund(ctx: AppContext, tx: Db, capture: UnfundableCapture) {
  await ctx.boss.send(FIAT_REFUND_QUEUE, { unfundable: capture }, { db: bossDb(tx), ...FIAT_JOB_OPTIONS });
}

export async function refundUnfundable(ctx: AppContext, ref: UnfundableCapture): Promise<void> {
  const { rows } = await ctx.pool.query<{
    session_id: string;
    order_id: string;
    fiat_amount: string;
    fiat_currency: string;
    status: string;
    funded: boolean;
  }>(
    `SELECT c.session_id, c.order_id, c.fiat_amount, c.fiat_currency, c.status,
            EXISTS (SELECT 1 FROM fiat_funding f WHERE f.provider = c.provider AND f.capture_ref = c.capture_ref
                      AND f.status IN ('pending', 'funded')) AS funded
       FROM fiat_capture c WHERE c.provider = $1 AND c.capture_ref = $2`,
    [ref.provider, ref.captureRef],
  );
  const capture = rows[0];
  if (capture?.status !== "captured" || capture.funded) return;
  const session = { id: capture.session_id, order_id: capture.order_id };
  const amount = { value: capture.fiat_amount, currency: capture.fiat_currency };
  const provider = requireProvider(ctx);
  try {
    const refund = await provider.refund({
      captureRef: ref.captureRef,
      amount,
      idempotencyKey: `unfundable-${ref.provider}-${ref.captureRef}`,
      reason: "The order could no longer be paid when the payment arrived",
    });
    await withTransaction(ctx.pool, async (tx) => {
      await lockSession(tx, session.id);
      await tx.query(
        "UPDATE fiat_capture SET status = 'refunded' WHERE provider = $1 AND capture_ref = $2 AND status = 'captured'",
        [ref.provider, ref.captureRef],
      );
      await tx.query("UPDATE fiat_session SET status = 'refunded', updated_at = now() WHERE id = $1", [
        session.id,
      ]);
      await recordIncident(tx, session, "funding_failed", { reason: "unfundable" });
      await tx.query(
        `UPDATE fiat_incident SET detail = detail || jsonb_build_object('auto_refund', $3::jsonb)
          WHERE session_id = $1 AND kind = $2`,
        [
          session.id,
          "funding_failed",
          JSON.stringify({
            refund_ref: refund.refundRef,
            status: refund.status,
            amount: refund.amount.value,
            currency: refund.amount.currency,
          }),
        ],
      );
    });
    ctx.metrics.fiatEvents.inc({ kind: "auto_refunded" });
    ctx.log.warn(
      { fiatSessionId: session.id, orderId: session.order_id, captureRef: ref.captureRef, ...amount },
      "unfundable fiat capture refunded to the customer",
    );
  } catch (error) {
    if (error instanceof FiatError && !error.retryable) {
      await recordIncident(ctx.pool, session, "refund_failed", {
        capture: ref.captureRef,
        code: error.code,
        automatic: true,
      });
      ctx.log.error({ fiatSessionId: session.id, code: error.code }, "automatic fiat refund refused");
      return;
    }
    throw error;
  }
}

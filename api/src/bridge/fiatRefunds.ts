/**
 * Refunds of fiat-funded orders. The escrow refund itself is the ordinary one (refunds/refunds.ts: the
 * operator's on-chain refund, which pays the bridge, the payment's refund address). Once it is mined,
 * `onChainRefundSucceeded` (in the sender's transaction) stores a fiat_refund at the session's original
 * quote and queues it; `sendFiatRefund` pays it out through the provider in the customer's currency,
 * with the fiat_refund id as idempotency key, so a retry never refunds twice.
 *
 * Amounts: a partial refund is the same fraction of the fiat capture, rounded down to the currency's
 * minor unit; the refund that completes the order refunds exactly what is left, so the parts add up.
 */

import { formatMinorUnits, parseMinorUnits } from "@pier/money/units";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { FiatError } from "../fiat/errors.ts";
import { bossDb } from "../jobs/queues.ts";
import { requireProvider } from "./fiatContext.ts";
import { newBridgeId } from "./ids.ts";
import { recordIncident } from "./incidents.ts";
import { FIAT_JOB_OPTIONS, FIAT_REFUND_QUEUE } from "./queues.ts";
import { lockSession } from "./sessionRow.ts";
import { queueSweep } from "./sweep.ts";

export async function onChainRefundSucceeded(
  ctx: AppContext,
  tx: Db,
  refund: { id: string; order_id: string; amount: string },
): Promise<void> {
  const { rows } = await tx.query<{
    session_id: string;
    provider: string;
    capture_ref: string;
    token_amount: string;
    fiat_amount: string;
    fiat_currency: string;
  }>(
    `SELECT f.session_id, f.provider, f.capture_ref, f.token_amount::text, s.fiat_amount, s.fiat_currency
       FROM fiat_funding f JOIN fiat_session s ON s.id = f.session_id WHERE f.order_id = $1 FOR UPDATE OF f`,
    [refund.order_id],
  );
  const funding = rows[0];
  if (!funding) return; // a crypto payment: nothing to send out
  const prior = await tx.query<{ tokens: string | null; fiat: string[] }>(
    "SELECT sum(token_amount)::text AS tokens, coalesce(array_agg(fiat_amount), '{}') AS fiat FROM fiat_refund WHERE order_id = $1",
    [refund.order_id],
  );
  const currency = funding.fiat_currency;
  const totalFiat = parseMinorUnits(funding.fiat_amount, currency);
  const totalTokens = BigInt(funding.token_amount);
  const priorTokens = BigInt(prior.rows[0]?.tokens ?? "0");
  const priorFiat = (prior.rows[0]?.fiat ?? []).reduce((sum, v) => sum + parseMinorUnits(v, currency), 0n);
  const fiat = fiatShare({ totalFiat, totalTokens, priorTokens, priorFiat, tokens: BigInt(refund.amount) });
  const id = newBridgeId("refund");
  await tx.query(
    `INSERT INTO fiat_refund (id, refund_id, session_id, order_id, provider, capture_ref, token_amount,
       fiat_currency, fiat_amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (refund_id) DO NOTHING`,
    [
      id,
      refund.id,
      funding.session_id,
      refund.order_id,
      funding.provider,
      funding.capture_ref,
      refund.amount,
      currency,
      formatMinorUnits(fiat, currency),
    ],
  );
  await ctx.boss.send(FIAT_REFUND_QUEUE, { fiatRefundId: id }, { db: bossDb(tx), ...FIAT_JOB_OPTIONS });
}

/**
 * The fiat minor units refunded for `tokens` of an order funded with `totalTokens` from a capture of
 * `totalFiat`: the same fraction, rounded down; the refund that completes the order takes exactly
 * what is left, so the parts always add up to the capture.
 */
export function fiatShare(a: {
  totalFiat: bigint;
  totalTokens: bigint;
  priorTokens: bigint;
  priorFiat: bigint;
  tokens: bigint;
}): bigint {
  if (a.priorTokens + a.tokens >= a.totalTokens) return a.totalFiat - a.priorFiat;
  return (a.totalFiat * a.tokens) / a.totalTokens;
}

export async function sendFiatRefund(ctx: AppContext, id: string): Promise<void> {
  const { rows } = await ctx.pool.query<{
    id: string;
    session_id: string;
    order_id: string;
    capture_ref: string;
    fiat_amount: string;
    fiat_currency: string;
    status: string;
    provider_refund_ref: string | null;
    provider: string;
  }>("SELECT * FROM fiat_refund WHERE id = $1", [id]);
  const row = rows[0];
  if (row?.status !== "pending" || row.provider_refund_ref) return;
  const provider = requireProvider(ctx);
  try {
    const result = await provider.refund({
      captureRef: row.capture_ref,
      amount: { value: row.fiat_amount, currency: row.fiat_currency },
      idempotencyKey: row.id,
      reason: "Order refunded by the merchant",
    });
    await withTransaction(ctx.pool, async (tx) => {
      await lockSession(tx, row.session_id);
      await tx.query(
        `UPDATE fiat_refund SET provider_refund_ref = $2, status = $3,
           completed_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END WHERE id = $1`,
        [row.id, result.refundRef, result.status],
      );
      await queueSweep(ctx, tx, row.id);
      // Everything the escrow held went back: the capture and its session are refunded.
      const { rowCount } = await tx.query(
        `UPDATE fiat_capture c SET status = 'refunded'
          WHERE c.provider = $1 AND c.capture_ref = $2 AND c.status = 'captured'
            AND (SELECT coalesce(sum(r.token_amount), 0) FROM fiat_refund r
                  WHERE r.provider = $1 AND r.capture_ref = $2 AND r.status = 'succeeded')
             >= (SELECT f.token_amount FROM fiat_funding f WHERE f.provider = $1 AND f.capture_ref = $2)`,
        [row.provider, row.capture_ref],
      );
      if (rowCount)
        await tx.query("UPDATE fiat_session SET status = 'refunded', updated_at = now() WHERE id = $1", [
          row.session_id,
        ]);
    });
    ctx.metrics.fiatEvents.inc({ kind: "refunded" });
    ctx.log.info(
      { fiatRefundId: row.id, orderId: row.order_id, amount: row.fiat_amount, currency: row.fiat_currency },
      "fiat refund sent",
    );
  } catch (error) {
    if (error instanceof FiatError && !error.retryable) {
      await ctx.pool.query(
        "UPDATE fiat_refund SET status = 'failed', failure_code = $2, failure_message = $3, completed_at = now() WHERE id = $1",
        [row.id, error.code, error.message],
      );
      await recordIncident(ctx.pool, { id: row.session_id, order_id: row.order_id }, "refund_failed", {
        fiat_refund: row.id,
        code: error.code,
      });
      return;
    }
    throw error;
  }
}

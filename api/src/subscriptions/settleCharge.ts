/**
 * What a charge's transaction intent ended with (chain/settleChainTx.ts calls this in the same database
 * transaction that ends the intent):
 *
 * - mined: the invoice is paid (its order's payment is in the escrow; the order itself moves to
 *   escrowed through the indexer like any order) and the subscription is active again if it was past due.
 * - AlreadyPaid: the order was paid some other way (the customer paid the invoice's checkout): paid too.
 * - PermissionRevoked / PermissionExpired: the payer withdrew (or outlived) the permission: the
 *   subscription ends, the invoice is uncollectible.
 * - anything else (balance, token allowance, a paused or blacklisting token, a reverted transaction):
 *   the invoice fails and is retried after RETRY_DELAYS while its window lasts (chargeDue.ts); the
 *   subscription is past_due meanwhile, and canceled when no retry is left.
 */
import { networkOf } from "../chain/networks.ts";
import type { ChainTxOutcome } from "../chain/settleChainTx.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { type InvoiceRow, recordInvoiceEvent } from "./invoices.ts";
import { endSubscription, recordSubscriptionEvent, type SubscriptionRow } from "./subscriptions.ts";

const DAY = 86_400;
/** Seconds from a failed attempt to the next: 1 day, then 3, then 5 (Stripe's smart retries span ~1-2 weeks). */
export const RETRY_DELAYS = [DAY, 3 * DAY, 5 * DAY] as const;
const PERMISSION_GONE = new Set(["PermissionRevoked", "PermissionExpired"]);

export async function settleCharge(
  ctx: AppContext,
  tx: Db,
  invoiceId: string,
  outcome: ChainTxOutcome,
): Promise<void> {
  const invoice = (
    await tx.query<InvoiceRow>("SELECT * FROM subscription_invoices WHERE id = $1 FOR UPDATE", [invoiceId])
  ).rows[0];
  if (invoice?.status !== "open") return;
  const sub = (
    await tx.query<SubscriptionRow>("SELECT * FROM subscriptions WHERE id = $1 FOR UPDATE", [
      invoice.subscription_id,
    ])
  ).rows[0]!;
  const net = networkOf(ctx.networks, Number(sub.chain_id));
  const now = net.head.now();

  if (outcome.ok || outcome.code === "AlreadyPaid") {
    const paid = await updateInvoice(tx, invoice.id, "paid", { paidAt: now });
    await recordInvoiceEvent(ctx, tx, paid, "invoice.paid", net.chainId);
    const status = sub.status === "past_due" ? "active" : sub.status;
    const { rows } = await tx.query<SubscriptionRow>(
      "UPDATE subscriptions SET cycles_charged = cycles_charged + 1, status = $2 WHERE id = $1 RETURNING *",
      [sub.id, status],
    );
    if (status !== sub.status)
      await recordSubscriptionEvent(
        ctx,
        tx,
        rows[0]!,
        "subscription.updated",
        `subscription.recovered:${invoice.id}`,
      );
    return;
  }

  const error = { code: outcome.code, message: outcome.message };
  if (PERMISSION_GONE.has(outcome.code)) {
    const failed = await updateInvoice(tx, invoice.id, "uncollectible", { error });
    await recordInvoiceEvent(ctx, tx, failed, "invoice.payment_failed", net.chainId);
    const reason = outcome.code === "PermissionRevoked" ? "permission_revoked" : "permission_expired";
    await endSubscription(ctx, tx, sub, "ended", reason, now);
    return;
  }
  const delay = RETRY_DELAYS[invoice.attempts - 1];
  const retryAt = delay === undefined ? undefined : now + delay;
  const retryUntil = Math.floor(invoice.retry_until.getTime() / 1000);
  if (retryAt === undefined || retryAt >= retryUntil) {
    const failed = await updateInvoice(tx, invoice.id, "uncollectible", { error });
    await recordInvoiceEvent(ctx, tx, failed, "invoice.payment_failed", net.chainId);
    await endSubscription(ctx, tx, sub, "canceled", "payment_failed", now);
    return;
  }
  const failed = await updateInvoice(tx, invoice.id, "failed", { error, retryAt });
  await recordInvoiceEvent(ctx, tx, failed, "invoice.payment_failed", net.chainId);
  if (sub.status === "active" || sub.status === "trialing") {
    const { rows } = await tx.query<SubscriptionRow>(
      "UPDATE subscriptions SET status = 'past_due' WHERE id = $1 RETURNING *",
      [sub.id],
    );
    await recordSubscriptionEvent(
      ctx,
      tx,
      rows[0]!,
      "subscription.updated",
      `subscription.past_due:${invoice.id}`,
    );
  }
}

async function updateInvoice(
  tx: Db,
  id: string,
  status: InvoiceRow["status"],
  with_: { paidAt?: number; retryAt?: number; error?: { code: string; message: string } },
): Promise<InvoiceRow> {
  const { rows } = await tx.query<InvoiceRow>(
    `UPDATE subscription_invoices SET status = $2, paid_at = to_timestamp($3), next_attempt_at = to_timestamp($4),
       last_error_code = coalesce($5, last_error_code), last_error_message = coalesce($6, last_error_message)
     WHERE id = $1 RETURNING *`,
    [
      id,
      status,
      with_.paidAt ?? null,
      with_.retryAt ?? null,
      with_.error?.code ?? null,
      with_.error?.message ?? null,
    ],
  );
  return rows[0]!;
}

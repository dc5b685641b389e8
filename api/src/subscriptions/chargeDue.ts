/**
 * The subscription scheduler: one pass per network (jobs/workers.ts runs it with the keeper's interval).
 *
 * 1. Subscriptions whose next charge is due. Each is handled in a database transaction of its own, with
 *    its row locked (FOR UPDATE SKIP LOCKED: replicas split the work, and one subscription's failure
 *    never holds up another's). It ends (cancel at period end, cycles done, permission outlived) or gets
 *    an invoice for the cycle, the invoice's order, the charge transaction intent and its next charge
 *    time, all committed together: a crash leaves either all of them or none, and UNIQUE (subscription,
 *    cycle) refuses a second invoice for a cycle.
 * 2. Failed invoices whose retry is due: the same order charged again. On chain the escrow takes one
 *    payment per order id, so a repeated charge can never pay an invoice twice.
 *
 * Time is the network's (head.now(): chain time), the clock the permission's periods are checked
 * against, so time travel on a local chain drives cycles.
 *
 * A charge must land before the on-chain period of the next cycle starts (`retry_until`): otherwise it
 * would use that period's allowance and the next cycle's charge would be refused. Retries stop there;
 * a cycle found due after its own window (the scheduler was down for a whole period) is skipped, not
 * charged late.
 */
import { spendPermissionsAbi } from "@pier/contracts/abis";
import { spendPermissionFromJson } from "@pier/contracts/spendPermission";
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { encodeFunctionData, type Hex } from "viem";
import type { ChainContext } from "../chain/chainContext.ts";
import { createChainTx } from "../chain/chainTxs.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { newId } from "../lib/ids.ts";
import { createOrder } from "../orders/createOrder.ts";
import type { OrderRow } from "../orders/orderRow.ts";
import { signedOrder } from "../orders/signedOrder.ts";
import { termsJsonOf } from "../orders/toOrderObject.ts";
import { chargeTime } from "./billingCycle.ts";
import type { InvoiceRow } from "./invoices.ts";
import { type PlanRow, planSchedule } from "./plans.ts";
import {
  endSubscription,
  recordSubscriptionEvent,
  type StoredPermission,
  type SubscriptionRow,
} from "./subscriptions.ts";

/** Subscriptions (or invoices) looked at per pass and network; the rest wait for the next pass. */
const BATCH = 100;
/** An order must live at least this long (createOrder's minimum). */
const MIN_ORDER_SECONDS = 61;
const MAX_ORDER_SECONDS = 30 * 86_400;

export interface ChargePass {
  charged: number;
  retried: number;
  ended: number;
}

export async function chargeDue(ctx: AppContext, net: ChainContext): Promise<ChargePass | undefined> {
  const spendPermissions = net.deployment.contracts.SpendPermissions?.address;
  if (!spendPermissions) return undefined;
  const now = net.head.now();
  const pass: ChargePass = { charged: 0, retried: 0, ended: 0 };
  const due = await ctx.pool.query<{ id: string }>(
    `SELECT id FROM subscriptions
      WHERE chain_id = $1 AND status IN ('trialing', 'active', 'past_due') AND next_charge_at <= to_timestamp($2)
      ORDER BY next_charge_at LIMIT $3`,
    [net.chainId, now, BATCH],
  );
  for (const { id } of due.rows) {
    try {
      const done = await withTransaction(ctx.pool, (tx) => chargeCycle(ctx, tx, net, id, now));
      if (done === "charged") pass.charged++;
      if (done === "ended") pass.ended++;
    } catch (error) {
      ctx.log.warn({ err: error, subscription: id, chainId: net.chainId }, "charging a subscription failed");
    }
  }
  const retries = await ctx.pool.query<{ id: string }>(
    `SELECT i.id FROM subscription_invoices i JOIN subscriptions s ON s.id = i.subscription_id
      WHERE s.chain_id = $1 AND i.status = 'failed' AND i.next_attempt_at <= to_timestamp($2)
      ORDER BY i.next_attempt_at LIMIT $3`,
    [net.chainId, now, BATCH],
  );
  for (const { id } of retries.rows) {
    try {
      if (await withTransaction(ctx.pool, (tx) => retryInvoice(ctx, tx, net, id, now))) pass.retried++;
    } catch (error) {
      ctx.log.warn(
        { err: error, invoice: id, chainId: net.chainId },
        "retrying a subscription charge failed",
      );
    }
  }
  return pass;
}

type Locked = SubscriptionRow & { plan: PlanRow };

async function chargeCycle(
  ctx: AppContext,
  tx: Db,
  net: ChainContext,
  id: string,
  now: number,
): Promise<"charged" | "ended" | "skipped" | undefined> {
  const { rows } = await tx.query<Locked>(
    `SELECT s.*, to_jsonb(p.*) AS plan FROM subscriptions s JOIN plans p ON p.id = s.plan_id
      WHERE s.id = $1 AND s.status IN ('trialing', 'active', 'past_due') AND s.next_charge_at <= to_timestamp($2)
      FOR UPDATE OF s SKIP LOCKED`,
    [id, now],
  );
  const sub = rows[0];
  if (!sub) return undefined; // another replica has it, or it changed since the list
  const permission = sub.permission!;
  const end = async (
    row: SubscriptionRow,
    status: "canceled" | "ended",
    reason: SubscriptionRow["end_reason"],
  ) => {
    await endSubscription(ctx, tx, row, status, reason, now);
    return "ended" as const;
  };
  const schedule = planSchedule(sub.plan);
  const anchor = Math.floor(sub.billing_anchor!.getTime() / 1000);
  const cycle = await nextCycle(tx, sub.id);
  const dueAt = chargeTime(schedule, anchor, cycle);

  // The period (or the trial) is over: a cancel at its end takes effect instead of the next charge.
  if (sub.cancel_at_period_end) return end(sub, "canceled", null);
  if (sub.plan.cycles !== null && cycle >= sub.plan.cycles) return end(sub, "ended", "cycles_completed");
  if (now >= permission.end) return end(sub, "ended", "permission_expired");

  const next = chargeTime(schedule, anchor, cycle + 1);
  const retryUntil = Math.min(nextPeriodStart(permission, next), permission.end);
  const advance = (status: string) =>
    tx.query(
      `UPDATE subscriptions SET status = $2, next_charge_at = to_timestamp($3),
         current_period_start = to_timestamp($4), current_period_end = to_timestamp($3)
       WHERE id = $1 RETURNING *`,
      [sub.id, status, next, dueAt],
    );
  if (retryUntil - now < MIN_ORDER_SECONDS) {
    // Too late to charge this cycle without taking the next one's allowance: skip to the next.
    ctx.log.warn(
      { subscription: sub.id, cycle, dueAt },
      "subscription cycle skipped: its charge window passed",
    );
    await advance(sub.status);
    return "skipped";
  }

  const invoiceId = newId("invoice");
  const order = await createOrder(
    ctx,
    tx,
    { keyId: "subscriptions", merchantId: sub.merchant_id, livemode: sub.livemode, scopes: "all" },
    {
      amount: permission.allowance,
      network: net.chainId,
      token: permission.token,
      expires_at: Math.min(retryUntil, now + MAX_ORDER_SECONDS),
      description: `${sub.plan.description ?? "Subscription"}: cycle ${cycle + 1}`,
      metadata: { subscription: sub.id, invoice: invoiceId, cycle: String(cycle) },
    },
  );
  const chainTxId = await queueCharge(ctx, tx, net, sub, order, invoiceId);
  await tx.query(
    `INSERT INTO subscription_invoices (id, subscription_id, merchant_id, livemode, cycle, order_id, amount,
       attempts, chain_tx_id, retry_until, due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, to_timestamp($9), to_timestamp($10))`,
    [
      invoiceId,
      sub.id,
      sub.merchant_id,
      sub.livemode,
      cycle,
      order.id,
      permission.allowance,
      chainTxId,
      retryUntil,
      dueAt,
    ],
  );
  // The trial is over once its charge is made; past_due stays until a charge is paid (settleCharge.ts).
  const status = sub.status === "trialing" ? "active" : sub.status;
  const updated = (await advance(status)).rows[0] as SubscriptionRow;
  if (status !== sub.status)
    await recordSubscriptionEvent(
      ctx,
      tx,
      updated,
      "subscription.updated",
      `subscription.trial_over:${sub.id}`,
    );
  return "charged";
}

async function retryInvoice(
  ctx: AppContext,
  tx: Db,
  net: ChainContext,
  invoiceId: string,
  now: number,
): Promise<boolean> {
  const { rows } = await tx.query<InvoiceRow>(
    `SELECT * FROM subscription_invoices WHERE id = $1 AND status = 'failed' AND next_attempt_at <= to_timestamp($2)
      FOR UPDATE SKIP LOCKED`,
    [invoiceId, now],
  );
  const invoice = rows[0];
  if (!invoice) return false;
  const sub = (
    await tx.query<SubscriptionRow>("SELECT * FROM subscriptions WHERE id = $1 FOR UPDATE", [
      invoice.subscription_id,
    ])
  ).rows[0]!;
  // Canceled or ended meanwhile (the merchant, a revocation): nothing more to collect.
  if (sub.status !== "past_due" && sub.status !== "active") {
    await tx.query(
      "UPDATE subscription_invoices SET status = 'uncollectible', next_attempt_at = NULL WHERE id = $1",
      [invoice.id],
    );
    return false;
  }
  const order = (await tx.query<OrderRow>("SELECT * FROM orders WHERE id = $1", [invoice.order_id])).rows[0]!;
  const chainTxId = await queueCharge(ctx, tx, net, sub, order, invoice.id);
  await tx.query(
    `UPDATE subscription_invoices SET status = 'open', attempts = attempts + 1, chain_tx_id = $2,
       next_attempt_at = NULL WHERE id = $1`,
    [invoice.id, chainTxId],
  );
  return true;
}

/** The charge transaction, as an intent of the operator (the only caller SpendPermissions accepts). */
async function queueCharge(
  ctx: AppContext,
  tx: Db,
  net: ChainContext,
  sub: SubscriptionRow,
  order: OrderRow,
  invoiceId: string,
): Promise<string> {
  const signed = await signedOrder(ctx, tx, order);
  const p = sub.permission!;
  const data = encodeFunctionData({
    abi: spendPermissionsAbi,
    functionName: "charge",
    args: [
      spendPermissionFromJson(p),
      // Ignored once the permission is approved on chain; the first charge approves it with it.
      sub.permission_signature as Hex,
      paymentTermsFromJson(termsJsonOf(signed)),
      signed.signature as Hex,
    ],
  });
  return createChainTx(tx, net, {
    signer: net.signers.operator,
    kind: "subscription_charge",
    data,
    refs: { to: sub.spend_permissions as Hex, invoiceId, orderIds: [order.id] },
  });
}

/** The next cycle to invoice: one after the last invoiced. */
async function nextCycle(tx: Db, subscriptionId: string): Promise<number> {
  const { rows } = await tx.query<{ next: number }>(
    "SELECT coalesce(max(cycle) + 1, 0)::int AS next FROM subscription_invoices WHERE subscription_id = $1",
    [subscriptionId],
  );
  return rows[0]!.next;
}

/** Start of the on-chain period a charge at `time` falls in: no earlier charge may land from then on. */
function nextPeriodStart(p: StoredPermission, time: number): number {
  return p.start + Math.floor((time - p.start) / p.period) * p.period;
}

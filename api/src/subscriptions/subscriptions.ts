/**
 * Subscriptions: a customer's subscription to a merchant's plan. Created `incomplete` with a hosted page
 * (`url`) where the customer signs a bounded spend permission once (subscriptions/checkout.ts), then
 * `trialing` or `active`; canceled now or at the period's end. Every change is an event
 * (`subscription.*`), stored once and delivered to webhooks. Charging (chargeDue.ts, settleCharge.ts) moves
 * it through past_due, canceled (payment failed) and ended, and raises cycles_charged.
 */
import type { SpendPermissionJson } from "@pier/contracts/spendPermission";
import { homeNetwork, networkOf } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { NotFoundError, StateError } from "../errors.ts";
import { recordEvent } from "../events/recordEvent.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { newId } from "../lib/ids.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import type {
  CreateSubscriptionBodyT,
  ListSubscriptionsQueryT,
  SubscriptionStatus,
} from "../schemas/subscription.ts";
import { getPlan } from "./plans.ts";

/** The permission as stored (and as signed): every field, uint160/uint256 as decimal strings. */
export type StoredPermission = SpendPermissionJson;

export interface SubscriptionRow {
  id: string;
  merchant_id: string;
  livemode: boolean;
  plan_id: string;
  status: SubscriptionStatus;
  customer: string | null;
  metadata: Record<string, string>;
  created_at: Date;
  billing_anchor: Date | null;
  current_period_start: Date | null;
  current_period_end: Date | null;
  trial_end: Date | null;
  cancel_at_period_end: boolean;
  canceled_at: Date | null;
  ended_at: Date | null;
  cycles_charged: number;
  chain_id: string | null;
  token: string | null;
  payer: string | null;
  spend_permissions: string | null;
  permission: StoredPermission | null;
  permission_hash: string | null;
  permission_signature: string | null;
  authorized_at: Date | null;
  permission_quoted_at: Date | null;
  next_charge_at: Date | null;
  end_reason: "cycles_completed" | "permission_revoked" | "permission_expired" | "payment_failed" | null;
}

/** Subscription event types (webhooks/eventTypes.ts). */
export const SUBSCRIPTION_EVENT_TYPES = [
  "subscription.created",
  // The customer signed the permission: incomplete -> trialing or active (the object says which).
  "subscription.activated",
  // Something else changed, e.g. cancel_at_period_end was set.
  "subscription.updated",
  "subscription.canceled",
  // No more charges: the plan's cycles are done, or the payer revoked (or outlived) the permission.
  "subscription.ended",
  // Each charge (subscriptions/invoices.ts): paid, or failed (retried on a schedule, then canceled).
  "invoice.paid",
  "invoice.payment_failed",
] as const;

const unix = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

export function toSubscriptionObject(ctx: AppContext, row: SubscriptionRow) {
  const p = row.permission;
  return {
    id: row.id,
    object: "subscription" as const,
    livemode: row.livemode,
    plan: row.plan_id,
    status: row.status,
    customer: row.customer,
    metadata: row.metadata,
    current_period_start: unix(row.current_period_start),
    current_period_end: unix(row.current_period_end),
    trial_end: unix(row.trial_end),
    cancel_at_period_end: row.cancel_at_period_end,
    canceled_at: unix(row.canceled_at),
    ended_at: unix(row.ended_at),
    end_reason: row.end_reason,
    next_charge_at: unix(row.next_charge_at),
    cycles_charged: row.cycles_charged,
    network: row.chain_id === null ? null : Number(row.chain_id),
    token: row.token,
    payer: row.payer,
    permission:
      p && row.permission_hash
        ? { hash: row.permission_hash, allowance: p.allowance, period: p.period, start: p.start, end: p.end }
        : null,
    created: unix(row.created_at)!,
    url: `${ctx.config.checkoutBaseUrl}/s/${row.id}`,
  };
}

/**
 * Now, in unix seconds, for a subscription: its network's time once authorized (chain time, which a
 * permission's start and end are compared with), else its mode's home network's.
 */
export function subscriptionNow(
  ctx: AppContext,
  row: Pick<SubscriptionRow, "chain_id" | "livemode">,
): number {
  const net =
    row.chain_id === null ? homeNetwork(ctx.networks, row.livemode) : networkOf(ctx.networks, row.chain_id);
  return net.head.now();
}

/** Stores the event of a change, once per dedupe key, with the subscription as it is now. */
export async function recordSubscriptionEvent(
  ctx: AppContext,
  tx: Db,
  row: SubscriptionRow,
  type: (typeof SUBSCRIPTION_EVENT_TYPES)[number],
  dedupeKey: string,
): Promise<void> {
  await recordEvent(ctx, tx, {
    merchantId: row.merchant_id,
    livemode: row.livemode,
    type,
    dedupeKey,
    object: toSubscriptionObject(ctx, row),
    chainId: row.chain_id === null ? undefined : Number(row.chain_id),
  });
}

export async function createSubscription(
  ctx: AppContext,
  tx: Db,
  principal: Principal,
  body: CreateSubscriptionBodyT,
): Promise<SubscriptionRow> {
  const plan = await getPlan(tx, principal, body.plan, "plan");
  if (!plan.active) throw new StateError("plan_inactive", `Plan ${plan.id} is archived`, "plan");
  const { rows } = await tx.query<SubscriptionRow>(
    `INSERT INTO subscriptions (id, merchant_id, livemode, plan_id, customer, metadata)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [
      newId("subscription"),
      principal.merchantId,
      principal.livemode,
      plan.id,
      body.customer ?? null,
      JSON.stringify(body.metadata ?? {}),
    ],
  );
  const row = rows[0]!;
  await recordSubscriptionEvent(ctx, tx, row, "subscription.created", `subscription.created:${row.id}`);
  return row;
}

export async function listSubscriptions(
  db: Db,
  principal: Principal,
  query: ListSubscriptionsQueryT,
): Promise<Page<SubscriptionRow>> {
  const where = ["merchant_id = $1", "livemode = $2"];
  const params: unknown[] = [principal.merchantId, principal.livemode];
  if (query.status !== undefined) {
    params.push(query.status);
    where.push(`status = $${params.length}`);
  }
  if (query.plan !== undefined) {
    params.push(query.plan);
    where.push(`plan_id = $${params.length}`);
  }
  return paginate<SubscriptionRow>(db, { table: "subscriptions", columns: "*", where, params, query });
}

export async function getSubscription(
  db: Db,
  principal: Principal,
  id: string,
  { lock = false }: { lock?: boolean } = {},
): Promise<SubscriptionRow> {
  const { rows } = await db.query<SubscriptionRow>(
    `SELECT * FROM subscriptions WHERE id = $1 AND merchant_id = $2 AND livemode = $3${lock ? " FOR UPDATE" : ""}`,
    [id, principal.merchantId, principal.livemode],
  );
  if (!rows[0]) throw new NotFoundError("subscription", id);
  return rows[0];
}

/** A subscription that is over (canceled or ended) refuses every change, naming its state. */
export function assertNotOver(row: SubscriptionRow): void {
  if (row.status === "canceled" || row.status === "ended") {
    throw new StateError(`subscription_${row.status}`, `Subscription ${row.id} is ${row.status}`);
  }
}

/**
 * Cancels now (status canceled, canceled_at and ended_at now) or at the current period's end
 * (cancel_at_period_end; the status stays, no further charge). An incomplete subscription has no period:
 * it can only be canceled now. Setting cancel_at_period_end twice changes nothing and records no event
 * (`changed` false: the route then writes no audit entry either).
 */
export async function cancelSubscription(
  ctx: AppContext,
  tx: Db,
  principal: Principal,
  id: string,
  atPeriodEnd: boolean,
): Promise<{ subscription: SubscriptionRow; changed: boolean }> {
  const row = await getSubscription(tx, principal, id, { lock: true });
  assertNotOver(row);
  if (atPeriodEnd) {
    if (row.status === "incomplete") {
      throw new StateError(
        "subscription_incomplete",
        `Subscription ${row.id} is incomplete: it has no period to end; cancel it now`,
        "at_period_end",
      );
    }
    if (row.cancel_at_period_end) return { subscription: row, changed: false };
    const { rows } = await tx.query<SubscriptionRow>(
      "UPDATE subscriptions SET cancel_at_period_end = true WHERE id = $1 RETURNING *",
      [row.id],
    );
    const updated = rows[0]!;
    await recordSubscriptionEvent(
      ctx,
      tx,
      updated,
      "subscription.updated",
      `subscription.updated:${row.id}:cancel_at_period_end`,
    );
    return { subscription: updated, changed: true };
  }
  const { rows } = await tx.query<SubscriptionRow>(
    `UPDATE subscriptions SET status = 'canceled', canceled_at = to_timestamp($2), ended_at = to_timestamp($2)
      WHERE id = $1 RETURNING *`,
    [row.id, subscriptionNow(ctx, row)],
  );
  const canceled = rows[0]!;
  await recordSubscriptionEvent(
    ctx,
    tx,
    canceled,
    "subscription.canceled",
    `subscription.canceled:${row.id}`,
  );
  return { subscription: canceled, changed: true };
}

/**
 * Ends a subscription for good (Pier's doing: cycles done, permission gone, every retry failed, or a cancel
 * at period end taking effect), with its event once. A subscription already canceled or ended is left as
 * it is.
 */
export async function endSubscription(
  ctx: AppContext,
  tx: Db,
  sub: SubscriptionRow,
  status: "canceled" | "ended",
  reason: SubscriptionRow["end_reason"],
  now: number,
): Promise<void> {
  if (sub.status === "canceled" || sub.status === "ended") return;
  const { rows } = await tx.query<SubscriptionRow>(
    `UPDATE subscriptions SET status = $2, end_reason = $3, ended_at = to_timestamp($4), next_charge_at = NULL,
       canceled_at = CASE WHEN $2 = 'canceled' THEN coalesce(canceled_at, to_timestamp($4)) ELSE canceled_at END
     WHERE id = $1 RETURNING *`,
    [sub.id, status, reason, now],
  );
  const type = status === "canceled" ? "subscription.canceled" : "subscription.ended";
  await recordSubscriptionEvent(ctx, tx, rows[0]!, type, `${type}:${sub.id}`);
}

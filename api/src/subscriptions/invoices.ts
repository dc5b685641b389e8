/**
 * Invoices: one per subscription and cycle, each paying its own ordinary order through
 * SpendPermissions.charge (chargeDue.ts queues the charge, settleCharge.ts records what happened).
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { NotFoundError } from "../errors.ts";
import { recordEvent } from "../events/recordEvent.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import type { ListInvoicesQueryT } from "../schemas/subscription.ts";

export interface InvoiceRow {
  id: string;
  subscription_id: string;
  merchant_id: string;
  livemode: boolean;
  cycle: number;
  order_id: string;
  amount: string;
  status: "open" | "failed" | "paid" | "uncollectible";
  attempts: number;
  chain_tx_id: string | null;
  next_attempt_at: Date | null;
  retry_until: Date;
  last_error_code: string | null;
  last_error_message: string | null;
  due_at: Date;
  paid_at: Date | null;
  created_at: Date;
}

const unix = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

export function toInvoiceObject(row: InvoiceRow) {
  return {
    id: row.id,
    object: "invoice" as const,
    livemode: row.livemode,
    subscription: row.subscription_id,
    cycle: row.cycle,
    order: row.order_id,
    amount: row.amount,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: unix(row.next_attempt_at),
    last_error:
      row.last_error_code === null
        ? null
        : { code: row.last_error_code, message: row.last_error_message ?? row.last_error_code },
    due_at: unix(row.due_at)!,
    paid_at: unix(row.paid_at),
    created: unix(row.created_at)!,
  };
}

/** An invoice event, once per invoice, type and attempt (a retried charge can fail again). */
export async function recordInvoiceEvent(
  ctx: AppContext,
  tx: Db,
  row: InvoiceRow,
  type: "invoice.paid" | "invoice.payment_failed",
  chainId: number,
): Promise<void> {
  await recordEvent(ctx, tx, {
    merchantId: row.merchant_id,
    livemode: row.livemode,
    type,
    dedupeKey: `${type}:${row.id}:${row.attempts}`,
    object: toInvoiceObject(row),
    orderId: row.order_id,
    chainId,
  });
}

/** A subscription's invoices, newest cycle first (a subscription has one per cycle, so no paging). */
export async function listInvoices(db: Db, principal: Principal, subscriptionId: string) {
  const owned = await db.query(
    "SELECT 1 FROM subscriptions WHERE id = $1 AND merchant_id = $2 AND livemode = $3",
    [subscriptionId, principal.merchantId, principal.livemode],
  );
  if (owned.rowCount === 0) throw new NotFoundError("subscription", subscriptionId, "id");
  const { rows } = await db.query<InvoiceRow>(
    "SELECT * FROM subscription_invoices WHERE subscription_id = $1 ORDER BY cycle DESC",
    [subscriptionId],
  );
  return rows;
}

/** Every subscription's invoices, newest first, by status (e.g. the failed charges) or subscription. */
export async function listAllInvoices(
  db: Db,
  principal: Principal,
  query: ListInvoicesQueryT,
): Promise<Page<InvoiceRow>> {
  const where = ["merchant_id = $1", "livemode = $2"];
  const params: unknown[] = [principal.merchantId, principal.livemode];
  if (query.status) {
    params.push(query.status);
    where.push(`status = $${params.length}`);
  }
  if (query.subscription) {
    params.push(query.subscription);
    where.push(`subscription_id = $${params.length}`);
  }
  return paginate<InvoiceRow>(db, { table: "subscription_invoices", columns: "*", where, params, query });
}

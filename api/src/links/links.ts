/**
 * Payment links: a reusable link that creates one order per payer, for a fixed amount or an amount the
 * payer chooses within the link's limits. Orders made from a link are ordinary orders (risk rules, the
 * lifecycle and webhooks apply) tagged with `metadata.payment_link` and listed in payment_link_orders.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { InvalidRequestError, NotFoundError, StateError } from "../errors.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { randomBase62 } from "../lib/ids.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import { createOrder } from "../orders/createOrder.ts";
import type { OrderRow } from "../orders/orderRow.ts";
import type { ListQueryT } from "../schemas/common.ts";
import type { CreateLinkBodyT } from "../schemas/link.ts";

export interface LinkRow {
  id: string;
  merchant_id: string;
  livemode: boolean;
  amount_type: "fixed" | "customer_chosen";
  amount: string | null;
  min_amount: string | null;
  max_amount: string | null;
  description: string | null;
  metadata: Record<string, string>;
  escrow_period: string | null;
  active: boolean;
  created_at: Date;
  orders?: number;
  paid?: number;
  volume?: string;
}

const WITH_ANALYTICS = `l.*,
  (SELECT count(*)::int FROM payment_link_orders x WHERE x.link_id = l.id) AS orders,
  (SELECT count(*)::int FROM payment_link_orders x JOIN orders o ON o.id = x.order_id
    WHERE x.link_id = l.id AND o.payment IS NOT NULL) AS paid,
  (SELECT coalesce(sum(o.amount), 0)::text FROM payment_link_orders x JOIN orders o ON o.id = x.order_id
    WHERE x.link_id = l.id AND o.payment IS NOT NULL) AS volume`;

export function toLinkObject(ctx: AppContext, row: LinkRow) {
  return {
    id: row.id,
    object: "payment_link" as const,
    livemode: row.livemode,
    url: `${ctx.config.checkoutBaseUrl}/l/${row.id}`,
    amount_type: row.amount_type,
    amount: row.amount,
    min_amount: row.min_amount,
    max_amount: row.max_amount,
    description: row.description,
    metadata: row.metadata,
    active: row.active,
    created: Math.floor(row.created_at.getTime() / 1000),
    analytics: { orders: row.orders ?? 0, paid: row.paid ?? 0, volume: row.volume ?? "0" },
  };
}

export async function createLink(db: Db, principal: Principal, body: CreateLinkBodyT): Promise<LinkRow> {
  if (body.amount_type === "fixed") {
    if (body.amount === undefined)
      throw new InvalidRequestError("parameter_missing", "A fixed link needs an amount", "amount");
    if (BigInt(body.amount) <= 0n)
      throw new InvalidRequestError("parameter_invalid", "The amount must be positive", "amount");
    if (body.min_amount !== undefined || body.max_amount !== undefined) {
      throw new InvalidRequestError(
        "parameter_invalid",
        "min_amount and max_amount are for customer_chosen links",
        "min_amount",
      );
    }
  } else {
    if (body.amount !== undefined) {
      throw new InvalidRequestError(
        "parameter_invalid",
        "A customer_chosen link has no amount; set min_amount and max_amount",
        "amount",
      );
    }
    const min = BigInt(body.min_amount ?? "1");
    if (min <= 0n)
      throw new InvalidRequestError("parameter_invalid", "min_amount must be positive", "min_amount");
    if (body.max_amount !== undefined && BigInt(body.max_amount) < min) {
      throw new InvalidRequestError("parameter_invalid", "max_amount is below min_amount", "max_amount");
    }
  }
  const { rows } = await db.query<LinkRow>(
    `INSERT INTO payment_links (id, merchant_id, livemode, amount_type, amount, min_amount, max_amount,
       description, metadata, escrow_period)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    [
      `pl_${randomBase62(24)}`,
      principal.merchantId,
      principal.livemode,
      body.amount_type,
      body.amount ?? null,
      body.amount_type === "customer_chosen" ? (body.min_amount ?? "1") : null,
      body.max_amount ?? null,
      body.description ?? null,
      JSON.stringify(body.metadata ?? {}),
      body.escrow_period ?? null,
    ],
  );
  return rows[0]!;
}

export async function listLinks(db: Db, principal: Principal, query: ListQueryT): Promise<Page<LinkRow>> {
  return paginate<LinkRow>(db, {
    table: "payment_links l",
    columns: WITH_ANALYTICS,
    where: ["merchant_id = $1", "livemode = $2"],
    params: [principal.merchantId, principal.livemode],
    query,
  });
}

export async function getLink(db: Db, principal: Principal, id: string): Promise<LinkRow> {
  const { rows } = await db.query<LinkRow>(
    `SELECT ${WITH_ANALYTICS} FROM payment_links l WHERE l.id = $1 AND l.merchant_id = $2 AND l.livemode = $3`,
    [id, principal.merchantId, principal.livemode],
  );
  if (!rows[0]) throw new NotFoundError("payment link", id);
  return rows[0];
}

/**
 * New orders from the link are refused; deactivating twice changes nothing (`changed` false). `changed`
 * is what the UPDATE did: of two deactivations at once, the second waits on the row and finds it inactive.
 */
export async function deactivateLink(
  db: Db,
  principal: Principal,
  id: string,
): Promise<{ link: LinkRow; changed: boolean }> {
  const { rowCount } = await db.query(
    `UPDATE payment_links SET active = false, deactivated_at = coalesce(deactivated_at, now())
      WHERE id = $1 AND merchant_id = $2 AND livemode = $3 AND active`,
    [id, principal.merchantId, principal.livemode],
  );
  // Also the 404 of a link that is not this merchant's.
  return { link: await getLink(db, principal, id), changed: rowCount === 1 };
}

export async function getPublicLink(db: Db, id: string) {
  const { rows } = await db.query<LinkRow & { merchant_name: string }>(
    "SELECT l.*, m.name AS merchant_name FROM payment_links l JOIN merchants m ON m.id = l.merchant_id WHERE l.id = $1",
    [id],
  );
  if (!rows[0]) throw new NotFoundError("payment link", id);
  return rows[0];
}

/** The payer's order: one per call, for the link's amount or the payer's within the limits. */
export async function createLinkOrder(
  ctx: AppContext,
  db: Db,
  id: string,
  body: { amount?: string },
): Promise<OrderRow> {
  const link = await getPublicLink(db, id);
  if (!link.active) throw new StateError("link_inactive", "This payment link is no longer active");
  let amount: string;
  if (link.amount_type === "fixed") {
    if (body.amount !== undefined && body.amount !== link.amount) {
      throw new InvalidRequestError("parameter_invalid", "This link's amount is fixed", "amount");
    }
    amount = link.amount!;
  } else {
    if (body.amount === undefined)
      throw new InvalidRequestError("parameter_missing", "Enter the amount to pay", "amount");
    const value = BigInt(body.amount);
    if (value < BigInt(link.min_amount ?? "1"))
      throw new InvalidRequestError("amount_too_small", `The minimum is ${link.min_amount}`, "amount");
    if (link.max_amount !== null && value > BigInt(link.max_amount))
      throw new InvalidRequestError("amount_too_large", `The maximum is ${link.max_amount}`, "amount");
    amount = body.amount;
  }
  const principal: Principal = {
    keyId: `link:${link.id}`,
    merchantId: link.merchant_id,
    livemode: link.livemode,
    scopes: [],
  };
  const order = await createOrder(ctx, db, principal, {
    amount,
    description: link.description ?? undefined,
    metadata: { ...link.metadata, payment_link: link.id },
    escrow_period: link.escrow_period === null ? undefined : Number(link.escrow_period),
  });
  await db.query("INSERT INTO payment_link_orders (order_id, link_id) VALUES ($1, $2)", [order.id, link.id]);
  return order;
}

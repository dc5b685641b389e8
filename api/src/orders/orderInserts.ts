/**
 * The INSERT of a new order, alone (inside a transaction, or one order at a time) or batched with the
 * orders created at the same moment (db/insertBatcher.ts). Both return only what Postgres fills in or
 * rewrites: the rest of the row is what was written (createOrder.ts).
 */
import type pg from "pg";
import { type InsertBatcher, insertBatcher } from "../db/insertBatcher.ts";
import type { Db } from "../db/pool.ts";
import type { OrderRow } from "./orderRow.ts";

/** The written columns, in this order, and their types (for the batched form's arrays). */
const COLUMNS = [
  ["id", "text"],
  ["merchant_id", "text"],
  ["livemode", "boolean"],
  ["chain_id", "integer"],
  ["escrow", "text"],
  ["onchain_order_id", "text"],
  ["payment_id", "text"],
  ["operator", "text"],
  ["token", "text"],
  ["payout_address", "text"],
  ["amount", "numeric"],
  ["fee", "numeric"],
  ["fiat_amount", "text"],
  ["fiat_currency", "text"],
  ["fx_rate", "text"],
  ["description", "text"],
  ["metadata", "jsonb"],
  ["success_url", "text"],
  ["cancel_url", "text"],
  ["deadline", "bigint"],
  ["escrow_period", "bigint"],
  ["report_currency", "text"],
  ["report_rate", "text"],
  ["accepts", "jsonb"],
] as const;

/** A new order as written: Postgres fills in the rest. */
export type NewOrder = Omit<OrderRow, "seq" | "created_at">;
export type OrderInserted = Pick<OrderRow, "seq" | "created_at" | "metadata">;

const NAMES = COLUMNS.map(([name]) => name).join(", ");
const RETURNED = "seq, created_at, metadata";

// Named (prepared) statements: Postgres parses and plans each once per connection instead of on every
// order, which measured 1.35-1.5x more inserts per second for the single form.
const ONE = {
  name: "orders.create",
  text: `INSERT INTO orders (${NAMES}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING ${RETURNED}`,
};
const MANY = {
  name: "orders.create_many",
  text: `INSERT INTO orders (${NAMES})
    SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")})
    RETURNING id, ${RETURNED}`,
};

/** The order's values in COLUMNS order; jsonb as JSON text (pg would write a JS array as a Postgres array). */
function valuesOf(order: NewOrder): unknown[] {
  return COLUMNS.map(([name, type]) => {
    const value = order[name];
    return type === "jsonb" && value !== null ? JSON.stringify(value) : value;
  });
}

export async function insertOrder(db: Db, order: NewOrder): Promise<OrderInserted> {
  const { rows } = await db.query<OrderInserted>({ ...ONE, values: valuesOf(order) });
  return rows[0]!;
}

export function orderInserts(pool: pg.Pool): InsertBatcher<NewOrder, OrderInserted> {
  return insertBatcher({
    one: (order) => insertOrder(pool, order),
    many: async (orders) => {
      // One array per column; RETURNING's order is not promised, so rows are matched back by id.
      const values = orders.map(valuesOf);
      const arrays = COLUMNS.map((_, c) => values.map((v) => v[c]));
      const { rows } = await pool.query<OrderInserted & { id: string }>({ ...MANY, values: arrays });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return orders.map((order) => {
        const r = byId.get(order.id)!;
        return { seq: r.seq, created_at: r.created_at, metadata: r.metadata };
      });
    },
  });
}

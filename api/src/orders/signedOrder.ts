/**
 * The operator signs an order's terms when they are first needed (the checkout is opened, a payment is
 * relayed or funded from fiat), not when the order is created: creating an order stays one insert, and
 * an order nobody opens is never signed. The first signature stored is the order's; terms switched to
 * another option (orderOptions.ts) arrive signed, so an unsigned row always holds its created terms.
 */
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { networkOf } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { StateError } from "../errors.ts";
import type { OrderRow } from "./orderRow.ts";
import { termsJsonOf } from "./toOrderObject.ts";

export type SignedOrderRow<T extends OrderRow = OrderRow> = T & { signature: string };

export async function signedOrder<T extends OrderRow>(
  ctx: AppContext,
  db: Db,
  row: T,
): Promise<SignedOrderRow<T>> {
  if (row.signature !== null) return row as SignedOrderRow<T>;
  const net = networkOf(ctx.networks, row.chain_id);
  // The on-chain order id is derived from the operator's address: another key cannot sign these terms.
  if (net.signers.operator.address.toLowerCase() !== row.operator.toLowerCase())
    throw new StateError(
      "order_unsignable",
      "This order was made for an operator key the API no longer holds; create a new order",
      "order",
    );
  const signature = (await net.signTerms(paymentTermsFromJson(termsJsonOf(row)))).toLowerCase();
  const { rows } = await db.query<OrderRow>(
    "UPDATE orders SET signature = $2 WHERE id = $1 AND signature IS NULL RETURNING *",
    [row.id, signature],
  );
  // Someone stored first (another request, or a switch to other, signed terms): theirs is the order's.
  const stored =
    rows[0] ?? (await db.query<OrderRow>("SELECT * FROM orders WHERE id = $1", [row.id])).rows[0]!;
  return { ...row, ...stored } as SignedOrderRow<T>;
}

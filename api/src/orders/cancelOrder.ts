/**
 * Cancels an open order: the checkout stops offering it and `order.canceled` is stored with the change.
 * The signed terms stay valid on chain until their deadline (they cannot be revoked); a payment that
 * arrives anyway is shown on the order and refunded in full automatically once it is final
 * (`order.paid_after_cancel`, then the refund's own events: refunds.ts).
 */

import { networkOf } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { StateError } from "../errors.ts";
import { recordEvent } from "../events/recordEvent.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { getOrder } from "./getOrder.ts";
import type { OrderRow } from "./orderRow.ts";
import { toOrderObject } from "./toOrderObject.ts";

export async function cancelOrder(
  ctx: AppContext,
  tx: Db,
  principal: Principal,
  id: string,
): Promise<OrderRow> {
  const order = await getOrder(tx, principal, id, true);
  if (order.status !== "open") {
    throw new StateError("order_not_open", `Only an open order can be canceled; this one is ${order.status}`);
  }
  if (BigInt(order.deadline) <= BigInt(networkOf(ctx.networks, order.chain_id).head.now())) {
    throw new StateError("order_not_open", "This order has expired");
  }
  const updated = (
    await tx.query<OrderRow>(
      "UPDATE orders SET status = 'canceled', canceled_at = now(), status_changed_at = now() WHERE id = $1 RETURNING *",
      [id],
    )
  ).rows[0]!;
  await recordEvent(ctx, tx, {
    merchantId: updated.merchant_id,
    livemode: updated.livemode,
    type: "order.canceled",
    dedupeKey: `${id}:canceled`,
    object: toOrderObject(ctx, updated),
    orderId: id,
    chainId: updated.chain_id,
    onchainOrderId: updated.onchain_order_id,
  });
  return updated;
}

/**
 * Payment attempts: the checkout tells Pier how it has the customer pay (relayed, an atomic batch, or one
 * of the escrow's paths), what it told the customer and what it learnt of the wallet (EIP-5792
 * wallet_getCapabilities). Each is stored as an `order.payment_method_chosen` event, so it shows in the
 * order's timeline and reaches the merchant's webhooks like any event.
 *
 * Public (the order id is the only secret), so bounded: once per (order, method, account) through the
 * event's dedupe key, a repeat answering the attempt stored first; at most MAX_PAYMENT_ATTEMPTS per order;
 * only while the order is open for payment. Every refusal stores nothing.
 */
import { getAddress } from "viem";
import { networkOf } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { ApiError, StateError } from "../errors.ts";
import { recordEvent } from "../events/recordEvent.ts";
import {
  MAX_PAYMENT_ATTEMPTS,
  type PaymentAttemptBodyT,
  type PaymentAttemptT,
} from "../schemas/paymentAttempt.ts";
import { getCheckoutOrder } from "./getCheckout.ts";

export const PAYMENT_ATTEMPT_EVENT = "order.payment_method_chosen";

export async function recordPaymentAttempt(
  ctx: AppContext,
  orderId: string,
  input: PaymentAttemptBodyT,
): Promise<{ attempt: PaymentAttemptT; created: boolean }> {
  const order = await getCheckoutOrder(ctx.pool, orderId);
  if (order.status !== "open")
    throw new StateError("order_not_payable", `This order is ${order.status}, not open for payment`, "order");
  if (Number(order.deadline) <= networkOf(ctx.networks, order.chain_id).head.now())
    throw new StateError("order_not_payable", "This order's time to pay has run out", "order");

  const account = getAddress(input.account);
  const attempt: PaymentAttemptT = {
    object: "payment_attempt",
    order: order.id,
    method: input.method,
    reason: input.reason,
    account,
    wallet: { type: input.wallet.type, atomic: input.wallet.atomic, paymaster: input.wallet.paymaster },
  };
  const dedupeKey = `${order.id}:payment_method_chosen:${input.method}:${account.toLowerCase()}`;

  const result = await withTransaction(ctx.pool, async (tx) => {
    // One order's attempts are counted and stored one at a time: the cap holds under concurrency.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('pier-payment-attempt'), hashtext($1))", [
      order.id,
    ]);
    const stored = await tx.query<{ data: { object: PaymentAttemptT } }>(
      "SELECT data FROM events WHERE dedupe_key = $1",
      [dedupeKey],
    );
    if (stored.rows[0]) return { attempt: stored.rows[0].data.object, created: false };
    const { rows } = await tx.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE order_id = $1 AND type = $2",
      [order.id, PAYMENT_ATTEMPT_EVENT],
    );
    if (rows[0]!.n >= MAX_PAYMENT_ATTEMPTS)
      throw new ApiError(
        429,
        "rate_limit_error",
        "too_many_attempts",
        `This order already has ${MAX_PAYMENT_ATTEMPTS} payment attempts recorded: no more are kept`,
        { param: "order" },
      );
    const eventId = await recordEvent(ctx, tx, {
      merchantId: order.merchant_id,
      livemode: order.livemode,
      type: PAYMENT_ATTEMPT_EVENT,
      dedupeKey,
      object: attempt,
      orderId: order.id,
      chainId: order.chain_id,
      onchainOrderId: order.onchain_order_id,
    });
    // The lock makes a concurrent twin impossible; were the key taken anyway, it is the same attempt.
    if (!eventId) throw new Error(`payment attempt ${dedupeKey} was stored concurrently`);
    return { attempt, created: true };
  });
  if (result.created)
    ctx.log.info({ orderId: order.id, method: input.method, account }, "payment method chosen");
  return result;
}

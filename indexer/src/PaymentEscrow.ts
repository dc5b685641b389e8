/**
 * PaymentEscrow event handlers: each event becomes one `payment_event` row, moves its `payment` row to
 * the new state and adds to its merchant's `merchant_daily` row. Everything comes from the event, its
 * block and its transaction (the escrow's events carry every field): handlers never call the contract,
 * so indexing is as fast as reading logs and gives the same result on every replay.
 */
import { type Context, type Event, ponder } from "ponder:registry";
import { credit, merchantDaily, PAY_METHODS, payment, paymentEvent } from "ponder:schema";
import type { Hex } from "viem";

type AnyEvent = Event<
  | "PaymentEscrow:PaymentEscrowed"
  | "PaymentEscrow:PaymentReleased"
  | "PaymentEscrow:PaymentRefunded"
  | "PaymentEscrow:PaymentDisputed"
  | "PaymentEscrow:PaymentHoldChanged"
  | "PaymentEscrow:DisputeResolved"
  | "PaymentEscrow:PayoutCredited"
  | "PaymentEscrow:CreditWithdrawn"
>;
type PaymentEventRow = typeof paymentEvent.$inferInsert;
type PaymentRow = typeof payment.$inferSelect;

const ZERO_BYTES32: Hex = `0x${"0".repeat(64)}`;

ponder.on("PaymentEscrow:PaymentEscrowed", async ({ event, context }) => {
  const a = event.args;
  const chainId = context.chain.id;
  const method = PAY_METHODS[a.method];
  if (!method) throw new Error(`PaymentEscrowed ${a.paymentId}: unknown pay method ${a.method}`);
  await context.db.insert(payment).values({
    id: a.paymentId,
    chainId,
    orderId: a.orderId,
    operator: a.operator,
    merchant: a.merchant,
    payer: a.payer,
    refundTo: a.refundTo,
    token: a.token,
    amount: a.amount,
    fee: a.fee,
    method,
    status: "escrowed",
    disputed: false,
    held: false,
    releaseAfter: a.releaseAfter,
    amountReleased: 0n,
    feePaid: 0n,
    amountRefunded: 0n,
    merchantCredited: 0n,
    refundCredited: 0n,
    feeCredited: 0n,
    paidBlockNumber: event.block.number,
    paidBlockHash: event.block.hash,
    paidTxHash: event.transaction.hash,
    paidAt: event.block.timestamp,
    updatedBlockNumber: event.block.number,
    updatedAt: event.block.timestamp,
  });
  await recordEvent(context, event, {
    paymentId: a.paymentId,
    orderId: a.orderId,
    kind: "escrowed",
    amount: a.amount,
    feeAmount: a.fee,
    token: a.token,
    actor: a.payer,
  });
  await addToDaily(
    context,
    event,
    { merchant: a.merchant, token: a.token },
    { volume: a.amount, payments: 1 },
  );
});

ponder.on("PaymentEscrow:PaymentReleased", async ({ event, context }) => {
  const a = event.args;
  await updatePayment(context, event, a.paymentId, () => ({
    status: "released",
    amountReleased: a.merchantAmount,
    feePaid: a.feeAmount,
    releasedBlockNumber: event.block.number,
    releasedTxHash: event.transaction.hash,
    releasedAt: event.block.timestamp,
    releasedEarly: a.early,
  }));
  await recordEvent(context, event, {
    paymentId: a.paymentId,
    orderId: a.orderId,
    kind: "released",
    amount: a.merchantAmount,
    feeAmount: a.feeAmount,
    token: a.token,
    actor: a.caller,
  });
  await addToDaily(
    context,
    event,
    { merchant: a.merchant, token: a.token },
    { released: a.merchantAmount, fees: a.feeAmount },
  );
});

ponder.on("PaymentEscrow:PaymentRefunded", async ({ event, context }) => {
  const a = event.args;
  const row = await updatePayment(context, event, a.paymentId, (row) => ({
    // The event's running total is the contract's own number: no sum of ours can drift from it.
    amountRefunded: a.totalRefunded,
    status: a.closed ? "refunded" : row.status,
    lastRefundTxHash: event.transaction.hash,
    lastRefundAt: event.block.timestamp,
  }));
  await recordEvent(context, event, {
    paymentId: a.paymentId,
    orderId: a.orderId,
    kind: "refunded",
    amount: a.amount,
    refundAmount: a.amount,
    token: a.token,
    actor: a.caller,
  });
  await addToDaily(context, event, row, { refunds: a.amount });
});

ponder.on("PaymentEscrow:PaymentDisputed", async ({ event, context }) => {
  const a = event.args;
  const row = await updatePayment(context, event, a.paymentId, () => ({
    disputed: true,
    disputedAt: event.block.timestamp,
    disputedTxHash: event.transaction.hash,
  }));
  await recordEvent(context, event, {
    paymentId: a.paymentId,
    orderId: a.orderId,
    kind: "disputed",
    token: row.token,
    actor: a.payer,
  });
});

ponder.on("PaymentEscrow:PaymentHoldChanged", async ({ event, context }) => {
  const a = event.args;
  const row = await updatePayment(context, event, a.paymentId, () => ({ held: a.held }));
  await recordEvent(context, event, {
    paymentId: a.paymentId,
    orderId: a.orderId,
    kind: a.held ? "hold_placed" : "hold_lifted",
    token: row.token,
    actor: a.operator,
  });
});

ponder.on("PaymentEscrow:DisputeResolved", async ({ event, context }) => {
  const a = event.args;
  const row = await updatePayment(context, event, a.paymentId, (row) => ({
    status: "resolved",
    held: false,
    amountReleased: a.merchantAmount,
    feePaid: a.feeAmount,
    amountRefunded: row.amountRefunded + a.refundAmount,
    resolvedAt: event.block.timestamp,
    resolvedTxHash: event.transaction.hash,
  }));
  await recordEvent(context, event, {
    paymentId: a.paymentId,
    orderId: a.orderId,
    kind: "resolved",
    amount: a.merchantAmount,
    feeAmount: a.feeAmount,
    refundAmount: a.refundAmount,
    token: a.token,
    actor: a.arbiter,
  });
  await addToDaily(context, event, row, {
    released: a.merchantAmount,
    fees: a.feeAmount,
    refunds: a.refundAmount,
  });
});

// A payout that could not be transferred (e.g. a blacklisted recipient) and was credited instead. The
// release/refund/resolution it belongs to is already counted; this records who is owed.
ponder.on("PaymentEscrow:PayoutCredited", async ({ event, context }) => {
  const a = event.args;
  // releaseBatch credits a failed fee transfer for the whole batch under payment id zero.
  const paymentId = a.paymentId === ZERO_BYTES32 ? null : a.paymentId;
  const row = paymentId ? await context.db.find(payment, { chainId: context.chain.id, id: paymentId }) : null;
  await recordEvent(context, event, {
    paymentId,
    orderId: row?.orderId ?? null,
    kind: "credited",
    amount: a.amount,
    token: a.token,
    actor: a.recipient,
  });
  if (row) {
    const to = a.recipient.toLowerCase();
    await updatePayment(context, event, row.id, (p) =>
      to === p.merchant.toLowerCase()
        ? { merchantCredited: p.merchantCredited + a.amount }
        : to === p.refundTo.toLowerCase()
          ? { refundCredited: p.refundCredited + a.amount }
          : { feeCredited: p.feeCredited + a.amount },
    );
  }
  await changeCredit(context, event, a.token, a.recipient, a.amount, 0n);
});

// A credit paid out. The escrow pays a credit only to the credited account itself (`recipient`, the actor
// here); whoever triggered it (the account, the API's keeper, anyone) is `caller`, and the row's `txFrom`.
ponder.on("PaymentEscrow:CreditWithdrawn", async ({ event, context }) => {
  const a = event.args;
  await recordEvent(context, event, {
    paymentId: null,
    orderId: null,
    kind: "withdrawn",
    amount: a.amount,
    token: a.token,
    actor: a.recipient,
  });
  await changeCredit(context, event, a.token, a.recipient, 0n, a.amount);
});

/** Adds to (credited) or takes from (withdrawn) an account's credit row, creating it on first credit. */
async function changeCredit(
  context: Context,
  event: AnyEvent,
  token: Hex,
  account: Hex,
  credited: bigint,
  withdrawn: bigint,
): Promise<void> {
  const stamp = { updatedBlockNumber: event.block.number, updatedAt: event.block.timestamp };
  await context.db
    .insert(credit)
    .values({
      chainId: context.chain.id,
      token,
      account,
      outstanding: credited - withdrawn,
      credited,
      withdrawn,
      ...stamp,
    })
    .onConflictDoUpdate((row) => ({
      outstanding: row.outstanding + credited - withdrawn,
      credited: row.credited + credited,
      withdrawn: row.withdrawn + withdrawn,
      ...stamp,
    }));
}

/** Applies `change` to an existing payment and stamps it; a missing payment means a broken config. */
async function updatePayment(
  context: Context,
  event: AnyEvent,
  paymentId: Hex,
  change: (row: PaymentRow) => Partial<PaymentRow>,
): Promise<PaymentRow> {
  const key = { chainId: context.chain.id, id: paymentId };
  if (!(await context.db.find(payment, key))) {
    // Every payment is escrowed after the deployment block the indexer starts from: if it is not here,
    // the deployment file does not describe this chain. Failing loudly beats silently wrong state.
    throw new Error(
      `${event.log.address} emitted an event for unknown payment ${paymentId} on chain ${key.chainId}: ` +
        "check PIER_DEPLOYMENT_FILE (address and blockNumber)",
    );
  }
  return context.db.update(payment, key).set((row) => ({
    ...change(row),
    updatedBlockNumber: event.block.number,
    updatedAt: event.block.timestamp,
  }));
}

async function recordEvent(
  context: Context,
  event: AnyEvent,
  row: Omit<
    PaymentEventRow,
    "id" | "chainId" | "txFrom" | "blockNumber" | "blockHash" | "txHash" | "logIndex" | "timestamp"
  >,
): Promise<void> {
  await context.db.insert(paymentEvent).values({
    id: event.id,
    chainId: context.chain.id,
    txFrom: event.transaction.from,
    blockNumber: event.block.number,
    blockHash: event.block.hash,
    txHash: event.transaction.hash,
    logIndex: event.log.logIndex,
    timestamp: event.block.timestamp,
    ...row,
  });
}

interface DailyDelta {
  volume?: bigint;
  payments?: number;
  fees?: bigint;
  refunds?: bigint;
  released?: bigint;
}

/** Adds to the merchant's row for the event's UTC day, creating it on the day's first event. */
async function addToDaily(
  context: Context,
  event: AnyEvent,
  who: { merchant: Hex; token: Hex },
  delta: DailyDelta,
): Promise<void> {
  const d = { volume: 0n, payments: 0, fees: 0n, refunds: 0n, released: 0n, ...delta };
  await context.db
    .insert(merchantDaily)
    .values({
      chainId: context.chain.id,
      merchant: who.merchant,
      token: who.token,
      day: utcDay(event.block.timestamp),
      ...d,
    })
    .onConflictDoUpdate((row) => ({
      volume: row.volume + d.volume,
      payments: row.payments + d.payments,
      fees: row.fees + d.fees,
      refunds: row.refunds + d.refunds,
      released: row.released + d.released,
    }));
}

/** YYYY-MM-DD of a unix timestamp, in UTC. */
function utcDay(timestamp: bigint): string {
  return new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
}

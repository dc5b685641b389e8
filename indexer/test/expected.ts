/**
 * The test oracle: what `payment_event` and `merchant_daily` must hold, computed from the transactions'
 * receipts alone (decoded PaymentEscrow logs plus their blocks' timestamps), following the column
 * meanings documented in indexer/README.md. It shares no code with the handlers.
 */
import type { Hex, PublicClient } from "viem";
import type { EscrowEvent, Sent } from "../../test/harness/payments.ts";

export interface ExpectedEvent {
  kind: string;
  payment_id: Hex | null;
  order_id: Hex | null;
  amount: bigint | null;
  fee_amount: bigint | null;
  refund_amount: bigint | null;
  token: Hex | null;
  actor: Hex;
  tx_from: Hex;
  tx_hash: Hex;
  block_number: bigint;
  block_hash: Hex;
  log_index: number;
  timestamp: bigint;
}

export interface ExpectedDaily {
  merchant: Hex;
  token: Hex;
  day: string;
  volume: bigint;
  payments: number;
  fees: bigint;
  refunds: bigint;
  released: bigint;
}

const ZERO32 = `0x${"0".repeat(64)}`;
const lower = (h: string) => h.toLowerCase() as Hex;

/** All escrow events of `sent`, in chain order, as payment_event rows. */
export async function expectedEvents(client: PublicClient, sent: Sent[]): Promise<ExpectedEvent[]> {
  const timestamps = new Map<bigint, bigint>();
  const payments = new Map<string, { orderId: Hex; token: Hex }>();
  const ordered = sent
    .flatMap((s) => s.events.map((e) => ({ e, from: s.receipt.from })))
    .sort((a, b) =>
      a.e.blockNumber === b.e.blockNumber
        ? a.e.logIndex - b.e.logIndex
        : Number(a.e.blockNumber - b.e.blockNumber),
    );
  const out: ExpectedEvent[] = [];
  for (const { e, from } of ordered) {
    if (!timestamps.has(e.blockNumber)) {
      timestamps.set(e.blockNumber, (await client.getBlock({ blockNumber: e.blockNumber })).timestamp);
    }
    const base = {
      tx_from: lower(from),
      tx_hash: e.transactionHash,
      block_number: e.blockNumber,
      block_hash: e.blockHash,
      log_index: e.logIndex,
      timestamp: timestamps.get(e.blockNumber)!,
      amount: null,
      fee_amount: null,
      refund_amount: null,
    };
    const row = toRow(e, payments);
    if (row) out.push({ ...base, ...row } as ExpectedEvent);
  }
  return out;
}

function toRow(
  e: EscrowEvent,
  payments: Map<string, { orderId: Hex; token: Hex }>,
): Partial<ExpectedEvent> | undefined {
  switch (e.eventName) {
    case "PaymentEscrowed": {
      const a = e.args;
      payments.set(a.paymentId, { orderId: a.orderId, token: lower(a.token) });
      return {
        kind: "escrowed",
        payment_id: a.paymentId,
        order_id: a.orderId,
        amount: a.amount,
        fee_amount: a.fee,
        token: lower(a.token),
        actor: lower(a.payer),
      };
    }
    case "PaymentReleased": {
      const a = e.args;
      return {
        kind: "released",
        payment_id: a.paymentId,
        order_id: a.orderId,
        amount: a.merchantAmount,
        fee_amount: a.feeAmount,
        token: lower(a.token),
        actor: lower(a.caller),
      };
    }
    case "PaymentRefunded": {
      const a = e.args;
      return {
        kind: "refunded",
        payment_id: a.paymentId,
        order_id: a.orderId,
        amount: a.amount,
        refund_amount: a.amount,
        token: lower(a.token),
        actor: lower(a.caller),
      };
    }
    case "PaymentDisputed":
      return {
        kind: "disputed",
        payment_id: e.args.paymentId,
        order_id: e.args.orderId,
        token: payments.get(e.args.paymentId)?.token ?? null,
        actor: lower(e.args.payer),
      };
    case "PaymentHoldChanged":
      return {
        kind: e.args.held ? "hold_placed" : "hold_lifted",
        payment_id: e.args.paymentId,
        order_id: e.args.orderId,
        token: payments.get(e.args.paymentId)?.token ?? null,
        actor: lower(e.args.operator),
      };
    case "DisputeResolved": {
      const a = e.args;
      return {
        kind: "resolved",
        payment_id: a.paymentId,
        order_id: a.orderId,
        amount: a.merchantAmount,
        fee_amount: a.feeAmount,
        refund_amount: a.refundAmount,
        token: lower(a.token),
        actor: lower(a.arbiter),
      };
    }
    case "PayoutCredited": {
      const id = e.args.paymentId === ZERO32 ? null : e.args.paymentId;
      return {
        kind: "credited",
        payment_id: id,
        order_id: id ? (payments.get(id)?.orderId ?? null) : null,
        amount: e.args.amount,
        token: lower(e.args.token),
        actor: lower(e.args.recipient),
      };
    }
    case "CreditWithdrawn":
      return {
        kind: "withdrawn",
        payment_id: null,
        order_id: null,
        amount: e.args.amount,
        token: lower(e.args.token),
        actor: lower(e.args.recipient),
      };
    default:
      return undefined; // admin events are not payment events
  }
}

/**
 * merchant_daily as a fold of the expected events: each counts on its block's UTC day, for the merchant
 * of its payment (as its PaymentEscrowed event named it).
 */
export function expectedDaily(sent: Sent[], events: ExpectedEvent[]): ExpectedDaily[] {
  const merchantOf = new Map<string, Hex>();
  for (const e of sent.flatMap((s) => s.events)) {
    if (e.eventName === "PaymentEscrowed") merchantOf.set(e.args.paymentId, lower(e.args.merchant));
  }
  const rows = new Map<string, ExpectedDaily>();
  for (const e of events) {
    const delta: Partial<ExpectedDaily> | undefined =
      e.kind === "escrowed"
        ? { volume: e.amount!, payments: 1 }
        : e.kind === "released"
          ? { released: e.amount!, fees: e.fee_amount! }
          : e.kind === "refunded"
            ? { refunds: e.refund_amount! }
            : e.kind === "resolved"
              ? { released: e.amount!, fees: e.fee_amount!, refunds: e.refund_amount! }
              : undefined;
    if (!delta) continue;
    const merchant = merchantOf.get(e.payment_id!);
    if (!merchant) throw new Error(`oracle: no PaymentEscrowed for ${e.payment_id} among the receipts`);
    const day = new Date(Number(e.timestamp) * 1000).toISOString().slice(0, 10);
    const key = `${merchant}|${e.token}|${day}`;
    const row = rows.get(key) ?? {
      merchant,
      token: e.token!,
      day,
      volume: 0n,
      payments: 0,
      fees: 0n,
      refunds: 0n,
      released: 0n,
    };
    row.volume += delta.volume ?? 0n;
    row.payments += delta.payments ?? 0;
    row.fees += delta.fees ?? 0n;
    row.refunds += delta.refunds ?? 0n;
    row.released += delta.released ?? 0n;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) =>
    `${a.merchant}${a.token}${a.day}`.localeCompare(`${b.merchant}${b.token}${b.day}`),
  );
}

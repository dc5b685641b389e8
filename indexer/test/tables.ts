/**
 * Reads the indexer's tables with plain SQL, the way the API does, and waits on the indexer's progress.
 * numeric columns arrive from node-postgres as strings and are turned into bigint here.
 */
import type { Hex } from "viem";
import { waitFor } from "../../scripts/lib/ports.ts";
import type { Stack } from "../../test/harness/stack.ts";

export interface PaymentSqlRow {
  id: Hex;
  chain_id: number;
  order_id: Hex;
  operator: Hex;
  merchant: Hex;
  payer: Hex;
  refund_to: Hex;
  token: Hex;
  amount: bigint;
  fee: bigint;
  method: string;
  status: string;
  disputed: boolean;
  held: boolean;
  release_after: bigint;
  amount_released: bigint;
  fee_paid: bigint;
  amount_refunded: bigint;
  merchant_credited: bigint;
  refund_credited: bigint;
  fee_credited: bigint;
  paid_block_number: bigint;
  paid_block_hash: Hex;
  paid_tx_hash: Hex;
  paid_at: bigint;
  released_block_number: bigint | null;
  released_tx_hash: Hex | null;
  released_at: bigint | null;
  released_early: boolean | null;
  last_refund_tx_hash: Hex | null;
  last_refund_at: bigint | null;
  disputed_at: bigint | null;
  disputed_tx_hash: Hex | null;
  resolved_at: bigint | null;
  resolved_tx_hash: Hex | null;
  updated_block_number: bigint;
  updated_at: bigint;
}

export interface PaymentEventSqlRow {
  id: string;
  chain_id: number;
  payment_id: Hex | null;
  order_id: Hex | null;
  kind: string;
  amount: bigint | null;
  fee_amount: bigint | null;
  refund_amount: bigint | null;
  token: Hex | null;
  actor: Hex;
  tx_from: Hex;
  block_number: bigint;
  block_hash: Hex;
  tx_hash: Hex;
  log_index: number;
  timestamp: bigint;
}

export interface MerchantDailySqlRow {
  chain_id: number;
  merchant: Hex;
  token: Hex;
  day: string;
  volume: bigint;
  payments: number;
  fees: bigint;
  refunds: bigint;
  released: bigint;
}

const NUMERIC_COLUMNS = new Set([
  "amount",
  "fee",
  "release_after",
  "amount_released",
  "fee_paid",
  "amount_refunded",
  "merchant_credited",
  "refund_credited",
  "fee_credited",
  "paid_block_number",
  "paid_at",
  "released_block_number",
  "released_at",
  "last_refund_at",
  "disputed_at",
  "resolved_at",
  "updated_block_number",
  "updated_at",
  "fee_amount",
  "refund_amount",
  "block_number",
  "timestamp",
  "volume",
  "fees",
  "refunds",
  "released",
]);

function toBigints<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row))
    out[k] = NUMERIC_COLUMNS.has(k) && typeof v === "string" ? BigInt(v) : v;
  return out as T;
}

function schemaOf(stack: Stack): string {
  if (!stack.indexer) throw new Error("the stack's indexer is not running");
  return stack.indexer.schema;
}

export async function payments(stack: Stack, schema = schemaOf(stack)): Promise<PaymentSqlRow[]> {
  const { rows } = await stack.db.query(`SELECT * FROM "${schema}".payment ORDER BY paid_block_number, id`);
  return rows.map((r) => toBigints<PaymentSqlRow>(r));
}

export async function paymentById(stack: Stack, id: Hex): Promise<PaymentSqlRow | undefined> {
  const { rows } = await stack.db.query(
    `SELECT * FROM "${schemaOf(stack)}".payment WHERE chain_id = $1 AND id = $2`,
    [stack.deployment.chainId, id.toLowerCase()],
  );
  return rows[0] ? toBigints<PaymentSqlRow>(rows[0]) : undefined;
}

/** Every payment_event row in chain order (Ponder's event id sorts by block, transaction and log). */
export async function paymentEvents(stack: Stack): Promise<PaymentEventSqlRow[]> {
  const { rows } = await stack.db.query(`SELECT * FROM "${schemaOf(stack)}".payment_event ORDER BY id`);
  return rows.map((r) => toBigints<PaymentEventSqlRow>(r));
}

export async function merchantDaily(stack: Stack): Promise<MerchantDailySqlRow[]> {
  const { rows } = await stack.db.query(
    `SELECT * FROM "${schemaOf(stack)}".merchant_daily ORDER BY chain_id, merchant, token, day`,
  );
  return rows.map((r) => toBigints<MerchantDailySqlRow>(r));
}

export async function countRows(
  stack: Stack,
  table: "payment" | "payment_event" | "merchant_daily",
): Promise<number> {
  const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM "${schemaOf(stack)}".${table}`);
  return rows[0].n as number;
}

/** The last block the indexer has fully processed, from Ponder's GET /status. */
export async function indexedBlock(stack: Stack): Promise<number | undefined> {
  if (!stack.indexer) return undefined;
  const res = await fetch(`${stack.indexer.url}/status`);
  if (!res.ok) return undefined;
  const status = (await res.json()) as Record<string, { id: number; block: { number: number } }>;
  return Object.values(status).find((s) => s.id === stack.deployment.chainId)?.block.number;
}

/** Waits until the indexer has processed block `n` (default: the chain's latest block). */
export async function waitForIndexedBlock(
  stack: Stack,
  n?: bigint | number,
  timeoutMs = 90_000,
): Promise<void> {
  const target = Number(n ?? (await stack.pay.publicClient.getBlockNumber()));
  await waitFor(`indexer at block ${target}`, async () => ((await indexedBlock(stack)) ?? -1) >= target, {
    timeoutMs,
  });
}

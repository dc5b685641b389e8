/**
 * CSV for accounting exports (RFC 4180): every field quoted when needed, CRLF line ends, and cells that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR) prefixed with an apostrophe.
 */

import type { Order } from "@pier/client/types";
import { unitsToDecimal } from "@pier/money/units";

export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: (string | number | null | undefined)[][]): string {
  return `${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

const iso = (unix: number | null | undefined) => (unix ? new Date(unix * 1000).toISOString() : "");
/** Token units as an exact decimal string. */
const tokens = (units: string, decimals: number) => unitsToDecimal(units, decimals);

export function ordersCsv(orders: Order[]): string {
  return toCsv([
    [
      "id",
      "created",
      "status",
      "description",
      "currency",
      "amount",
      "refunded",
      "released",
      "fee",
      "payer",
      "payment_tx",
      "release_tx",
    ],
    ...orders.map((o) => [
      o.id,
      iso(o.created),
      o.status,
      o.description ?? "",
      o.currency,
      tokens(o.amount, o.token.decimals),
      tokens(o.amount_refunded, o.token.decimals),
      tokens(o.amount_released, o.token.decimals),
      tokens(o.fee, o.token.decimals),
      o.payment?.payer ?? "",
      o.payment?.tx_hash ?? "",
      o.payment?.released_tx_hash ?? "",
    ]),
  ]);
}

/** Settlements: orders whose escrow was released to the merchant, with the net paid out and the fee. */
export function settlementsCsv(orders: Order[]): string {
  const settled = orders.filter((o) => o.payment?.released_at);
  return toCsv([
    ["order", "released_at", "currency", "gross", "refunded", "fee", "net_released", "release_tx"],
    ...settled.map((o) => [
      o.id,
      iso(o.payment!.released_at),
      o.currency,
      tokens(o.amount, o.token.decimals),
      tokens(o.amount_refunded, o.token.decimals),
      tokens(o.fee, o.token.decimals),
      tokens(o.amount_released, o.token.decimals),
      o.payment!.released_tx_hash ?? "",
    ]),
  ]);
}

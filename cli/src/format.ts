/** Human-readable lines for API objects. */
import type { Order, Refund } from "@pier/client";

/** "25000000" with 6 decimals -> "25 tUSDC" (exact: bigint arithmetic, trailing zeros dropped). */
export function money(amount: string, token: { symbol: string; decimals: number }): string {
  const units = BigInt(amount);
  const scale = 10n ** BigInt(token.decimals);
  const fraction = (units % scale).toString().padStart(token.decimals, "0").replace(/0+$/, "");
  return `${units / scale}${fraction ? `.${fraction}` : ""} ${token.symbol}`;
}

export function orderLine(o: Order): string {
  const refunded = o.amount_refunded !== "0" ? ` (refunded ${money(o.amount_refunded, o.token)})` : "";
  const desc = o.description ? `  "${o.description}"` : "";
  return `${o.id}  ${o.status.padEnd(10)}  ${money(o.amount, o.token)}${refunded}${desc}`;
}

export function orderDetails(o: Order): string[] {
  return [
    orderLine(o),
    `  checkout   ${o.checkout_url}`,
    `  expires    ${new Date(o.expires_at * 1000).toISOString()}`,
    `  escrow     ${o.escrow} (chain ${o.chain_id}), payment ${o.payment_id}`,
    ...(o.payment
      ? [
          `  paid       by ${o.payment.payer} in tx ${o.payment.tx_hash} (${o.payment.method}, ${o.payment.confirmations} confirmations)`,
          `  releases   after ${new Date(o.payment.release_after * 1000).toISOString()}`,
        ]
      : []),
  ];
}

export function refundLine(r: Refund): string {
  const failure = r.failure_code ? `  ${r.failure_code}: ${r.failure_message ?? ""}` : "";
  return `${r.id}  ${r.status.padEnd(9)}  order ${r.order}  amount ${r.amount}${r.tx_hash ? `  tx ${r.tx_hash}` : ""}${failure}`;
}

/** Human-readable lines for API objects; amounts in the plain form of @pier/money ("25 tUSDC"). */
import type { Order, Refund } from "@pier/client";
import { formatTokenPlain } from "@pier/money/display";

export function orderLine(o: Order): string {
  const refunded =
    o.amount_refunded !== "0" ? ` (refunded ${formatTokenPlain(o.amount_refunded, o.token)})` : "";
  const desc = o.description ? `  "${o.description}"` : "";
  return `${o.id}  ${o.status.padEnd(10)}  ${formatTokenPlain(o.amount, o.token)}${refunded}${desc}`;
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

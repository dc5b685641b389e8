/** Human-readable lines for API objects; amounts in the plain form of @pier/money ("25 tUSDC"). */
import type { AdminMerchant, ApiKey, Invoice, Order, Plan, Refund, Subscription } from "@pier/client";
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

const iso = (unix: number | null) => (unix === null ? "-" : new Date(unix * 1000).toISOString());

export function planLine(p: Plan): string {
  const every = p.interval_count === 1 ? p.interval : `${p.interval_count} ${p.interval}s`;
  const trial = p.trial_days > 0 ? `, ${p.trial_days}-day trial` : "";
  const cycles = p.cycles === null ? "" : `, ${p.cycles} charges`;
  const desc = p.description ? `  "${p.description}"` : "";
  return `${p.id}  ${p.amount} ${p.currency} every ${every}${trial}${cycles}${p.active ? "" : "  (archived)"}${desc}`;
}

export function subscriptionLine(s: Subscription): string {
  const next = s.next_charge_at === null ? "" : `  next charge ${iso(s.next_charge_at)}`;
  const ended = s.end_reason ? ` (${s.end_reason})` : "";
  return `${s.id}  ${s.status.padEnd(10)}${ended}  plan ${s.plan}  charged ${s.cycles_charged}${next}`;
}

export function subscriptionDetails(s: Subscription): string[] {
  return [
    subscriptionLine(s),
    `  authorize  ${s.url}`,
    ...(s.payer
      ? [
          `  payer      ${s.payer} (chain ${s.network}, token ${s.token})`,
          `  permission ${s.permission?.hash}: at most ${s.permission?.allowance} per ${s.permission?.period} s until ${iso(s.permission?.end ?? null)}`,
          `  period     ${iso(s.current_period_start)} .. ${iso(s.current_period_end)}${s.cancel_at_period_end ? "  (cancels at its end)" : ""}`,
        ]
      : []),
  ];
}

export function invoiceLine(i: Invoice): string {
  const error = i.last_error ? `  ${i.last_error.code}` : "";
  const retry = i.next_attempt_at === null ? "" : `  retry ${iso(i.next_attempt_at)}`;
  return `${i.id}  cycle ${i.cycle}  ${i.status.padEnd(13)}  ${i.amount}  order ${i.order}  attempts ${i.attempts}${error}${retry}`;
}

export function merchantLine(m: AdminMerchant): string {
  return `${m.id}  ${m.name}  payout ${m.payout_address}  owner ${m.owner_address}  created ${iso(m.created)}`;
}

/** A new key and its secret, which only the creating response holds. */
export function apiKeyLines(k: ApiKey): string[] {
  const scopes = k.type === "restricted" ? `  scopes ${k.scopes.join(",")}` : "";
  return [
    `${k.id}  ${k.type} key${k.name ? ` "${k.name}"` : ""}  ${k.livemode ? "live" : "test"} mode${scopes}`,
    `Secret (shown once): ${k.secret}`,
  ];
}

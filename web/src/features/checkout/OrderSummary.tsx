/**
 * What is being paid: merchant, description, amount (fiat and token), the network and token contract it
 * is paid with (before the customer signs anything), and the time left to pay.
 */

import { formatFiat, formatToken } from "@pier/money/display";
import type { Chain } from "viem";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { formatCountdown, formatDateTime } from "../../lib/format.ts";
import { TokenAddress } from "./TokenAddress.tsx";

export function OrderSummary({ checkout, chain, now }: { checkout: Checkout; chain: Chain; now: number }) {
  const left = checkout.expires_at - now;
  const showCountdown = checkout.status === "open" && left > 0;
  return (
    <section className="card summary" aria-labelledby="summary-title">
      <p className="merchant" id="summary-title">
        <span className="sr-only">Pay </span>
        {checkout.merchant_name}
      </p>
      {checkout.description && <p className="description">{checkout.description}</p>}
      <p className="amount" data-testid="amount">
        {checkout.fiat
          ? formatFiat(checkout.fiat.amount, checkout.fiat.currency)
          : formatToken(checkout.amount, checkout.token)}
      </p>
      {checkout.fiat && (
        <p className="muted" data-testid="token-amount">
          {formatToken(checkout.amount, checkout.token)}
        </p>
      )}
      <dl className="summary-lines">
        <dt>Network</dt>
        <dd data-testid="summary-network" data-chain-id={checkout.chain_id}>
          {chain.name} <span className="muted">(chain id {checkout.chain_id})</span>
        </dd>
        <dt>Token</dt>
        <dd data-testid="summary-token">
          {checkout.token.symbol} <TokenAddress chain={chain} address={checkout.token.address} />
        </dd>
      </dl>
      {!checkout.livemode && <p className="badge">Test mode: no real money moves</p>}
      {showCountdown && (
        <p className="expiry">
          <span aria-hidden="true">
            Expires in <strong data-testid="countdown">{formatCountdown(left)}</strong>
          </span>
          <span className="sr-only">Pay before {formatDateTime(checkout.expires_at)}</span>
        </p>
      )}
    </section>
  );
}

/**
 * What is being paid: merchant, description, amount (fiat and token), the network and token contract it
 * is paid with (before the customer signs anything), and the time left to pay, counted in chain time
 * (the escrow's clock; chainClock.ts).
 */

import { useTranslation } from "react-i18next";
import type { Chain } from "viem";
import type { ChainClock } from "../../lib/chainClock.ts";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { useFormat } from "../../lib/localeFormat.ts";
import { TokenAddress } from "./TokenAddress.tsx";

export function OrderSummary({
  checkout,
  chain,
  clock,
}: {
  checkout: Checkout;
  chain: Chain;
  clock: ChainClock;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const left = checkout.expires_at - clock.chainNow;
  const paidFiat = checkout.fiat_payment;
  const showCountdown = checkout.status === "open" && left > 0;
  return (
    <section className="card summary" aria-labelledby="summary-title">
      <p className="merchant" id="summary-title">
        <span className="sr-only">{t("summary.pay")} </span>
        {/* The merchant's own words keep their own direction inside a right-to-left page. */}
        <bdi>{checkout.merchant_name}</bdi>
      </p>
      {checkout.description && (
        <p className="description" dir="auto">
          {checkout.description}
        </p>
      )}
      {/* What the customer pays (or paid, by a fiat wallet) in their currency first; the token amount below. */}
      <p className="amount" data-testid="amount">
        {paidFiat
          ? f.fiat(paidFiat.amount, paidFiat.currency)
          : checkout.fiat
            ? f.fiat(checkout.fiat.amount, checkout.fiat.currency)
            : f.token(checkout.amount, checkout.token)}
      </p>
      {(paidFiat || checkout.fiat) && (
        <p className="muted" data-testid="token-amount">
          {f.token(checkout.amount, checkout.token)}
        </p>
      )}
      {!checkout.livemode && <p className="badge">{t("common.testMode")}</p>}
      {showCountdown && (
        <p className="expiry">
          <span aria-hidden="true">
            {t("summary.expiresIn")} <strong data-testid="countdown">{f.countdown(left)}</strong>
          </span>
          <span className="sr-only">
            {t("summary.payBefore", { date: f.dateTime(clock.toLocal(checkout.expires_at)) })}
          </span>
        </p>
      )}
      <dl className="summary-lines">
        <dt>{t("summary.network")}</dt>
        <dd data-testid="summary-network" data-chain-id={checkout.chain_id}>
          {chain.name} <span className="muted">({t("common.chainId", { id: checkout.chain_id })})</span>
        </dd>
        <dt>{t("summary.token")}</dt>
        <dd data-testid="summary-token">
          {checkout.token.symbol} <TokenAddress chain={chain} address={checkout.token.address} />
        </dd>
      </dl>
    </section>
  );
}

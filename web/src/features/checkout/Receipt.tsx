/**
 * The receipt of a paid order. Paid by a fiat wallet (PayPal, Apple Pay, Google Pay): what the customer
 * paid, in their currency, by which wallet and when, first; then the escrow's side (the token amount the
 * bridge paid in for them). Then network and token, payer, transactions (linked on the network's explorer
 * when it has one), buyer protection; then back to the merchant (a button, and an automatic redirect a
 * few seconds after a payment made on this page).
 */

import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Chain } from "viem";
import type { ChainClock } from "../../lib/chainClock.ts";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { shortHex } from "../../lib/format.ts";
import { useFormat } from "../../lib/localeFormat.ts";
import { FiatDisputeHelp, fiatWalletName } from "./fiat/fiatWords.tsx";
import { TokenAddress } from "./TokenAddress.tsx";
import { TxLink } from "./TxLink.tsx";

const REDIRECT_SECONDS = 10;

const headlineKeys = {
  processing: "receipt.headline.processing",
  escrowed: "receipt.headline.complete",
  settled: "receipt.headline.complete",
  disputed: "receipt.headline.disputed",
  refunded: "receipt.headline.refunded",
} as const;

const methodKeys = {
  authorization: "receipt.method.authorization",
  permit: "receipt.method.permit",
  allowance: "receipt.method.allowance",
  on_behalf: "receipt.method.on_behalf",
  dai_permit: "receipt.method.dai_permit",
} as const;

export function Receipt({
  checkout,
  chain,
  clock,
  paidHere,
}: {
  checkout: Checkout;
  chain: Chain;
  clock: ChainClock;
  paidHere: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const p = checkout.payment;
  const fiat = checkout.fiat_payment;
  const merchant = checkout.merchant_name;
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    titleRef.current?.focus();
  }, []);
  const refunded = BigInt(checkout.amount_refunded);
  const tokenAmount = f.token(checkout.amount, checkout.token);
  return (
    <section
      className="card receipt"
      aria-labelledby="receipt-title"
      data-testid="receipt"
      data-status={checkout.status}
      data-fiat={fiat ? "true" : undefined}
    >
      <span className="receipt-mark" aria-hidden="true" />
      <h2 id="receipt-title" ref={titleRef} tabIndex={-1}>
        {t(headlineKeys[checkout.status as keyof typeof headlineKeys] ?? "receipt.headline.payment")}
      </h2>
      {fiat && (
        <div className="fiat-paid" data-testid="fiat-receipt">
          <p className="fiat-paid-amount" data-testid="fiat-receipt-amount">
            {f.fiat(fiat.amount, fiat.currency)}
          </p>
          <p data-testid="fiat-receipt-method">
            {fiat.paid_at === null
              ? t("receipt.fiatPaidWith", { wallet: fiatWalletName(fiat, t) })
              : t("receipt.fiatPaidWithOn", {
                  wallet: fiatWalletName(fiat, t),
                  date: f.dateTime(fiat.paid_at),
                })}
          </p>
        </div>
      )}
      {checkout.status === "escrowed" && p && (
        <p>{t("receipt.escrowed", { merchant, date: f.dateTime(clock.toLocal(p.release_after)) })}</p>
      )}
      {checkout.status === "settled" && <p>{t("receipt.settled", { merchant })}</p>}
      {checkout.status === "disputed" && <p>{t("receipt.disputed")}</p>}
      {checkout.status === "processing" && <p>{t("receipt.processing")}</p>}
      {fiat && <h3 className="receipt-subtitle">{t("receipt.escrowDetails")}</h3>}
      <dl className="receipt-lines">
        <dt>{fiat ? t("receipt.escrowAmount") : t("receipt.amount")}</dt>
        <dd data-testid="receipt-amount">
          {tokenAmount}
          {checkout.fiat && !fiat && (
            <span className="muted"> ({f.fiat(checkout.fiat.amount, checkout.fiat.currency)})</span>
          )}
        </dd>
        {refunded > 0n && (
          <>
            <dt>{t("receipt.refunded")}</dt>
            <dd data-testid="receipt-refunded">{f.token(refunded, checkout.token)}</dd>
          </>
        )}
        <dt>{t("summary.network")}</dt>
        <dd data-testid="receipt-network" data-chain-id={checkout.chain_id}>
          {chain.name} <span className="muted">({t("common.chainId", { id: checkout.chain_id })})</span>
        </dd>
        <dt>{t("summary.token")}</dt>
        <dd>
          {checkout.token.symbol} <TokenAddress chain={chain} address={checkout.token.address} />
        </dd>
        <dt>{t("receipt.merchant")}</dt>
        <dd>{merchant}</dd>
        <dt>{t("page.order")}</dt>
        <dd>
          <code>{checkout.id}</code>
        </dd>
        {p && (
          <>
            {fiat ? (
              <>
                <dt>{t("receipt.fundedBy")}</dt>
                <dd data-testid="receipt-payer">{t("receipt.fundedByBridge")}</dd>
              </>
            ) : (
              <>
                <dt>{t("receipt.paidFrom")}</dt>
                <dd title={p.payer} data-testid="receipt-payer">
                  {shortHex(p.payer)}
                </dd>
              </>
            )}
            <dt>{fiat ? t("receipt.fundedOn") : t("receipt.paidOn")}</dt>
            <dd>{f.dateTime(clock.toLocal(p.paid_at))}</dd>
            <dt>{t("receipt.methodLabel")}</dt>
            <dd>{t(methodKeys[p.method as keyof typeof methodKeys])}</dd>
            <dt>{t("common.transaction")}</dt>
            <dd>
              <TxLink chain={chain} hash={p.tx_hash} />{" "}
              <span className="muted">({t("receipt.block", { number: p.block_number })})</span>
            </dd>
            {p.released_tx_hash && (
              <>
                <dt>{t("receipt.released")}</dt>
                <dd>
                  <TxLink chain={chain} hash={p.released_tx_hash} />
                </dd>
              </>
            )}
          </>
        )}
      </dl>
      {fiat && (
        <FiatDisputeHelp
          fiat={fiat}
          merchant={merchant}
          until={p && checkout.status === "escrowed" ? f.dateTime(clock.toLocal(p.release_after)) : undefined}
        />
      )}
      {checkout.success_url && (
        <ReturnToMerchant url={checkout.success_url} name={merchant} auto={paidHere} />
      )}
    </section>
  );
}

function ReturnToMerchant({ url, name, auto }: { url: string; name: string; auto: boolean }) {
  const { t } = useTranslation();
  const [left, setLeft] = useState<number | undefined>(auto ? REDIRECT_SECONDS : undefined);
  useEffect(() => {
    if (left === undefined) return;
    if (left <= 0) {
      window.location.assign(url);
      return;
    }
    const id = setTimeout(() => setLeft(left - 1), 1_000);
    return () => clearTimeout(id);
  }, [left, url]);
  return (
    <div className="return">
      <a className="button primary" href={url} data-testid="return-to-merchant">
        {t("receipt.return", { merchant: name })}
      </a>
      {left !== undefined && (
        <p className="muted">
          {t("receipt.returning", { merchant: name, seconds: left })}{" "}
          <button type="button" className="link" onClick={() => setLeft(undefined)}>
            {t("receipt.stay")}
          </button>
        </p>
      )}
    </div>
  );
}

/**
 * The receipt of a paid order: amounts, payer, transactions, buyer protection; then back to the merchant
 * (a button, and an automatic redirect a few seconds after a payment made on this page).
 */

import { formatFiat, formatToken } from "@pier/money/display";
import { useEffect, useRef, useState } from "react";
import type { Chain } from "viem";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { formatDateTime, shortHex } from "../../lib/format.ts";
import { TxLink } from "./TxLink.tsx";

const REDIRECT_SECONDS = 10;

const headline: Record<string, string> = {
  processing: "Payment received, confirming",
  escrowed: "Payment complete",
  settled: "Payment complete",
  disputed: "Payment disputed",
  refunded: "Payment refunded",
};

const methodWords = {
  authorization: "Signed authorization (ERC-3009)",
  permit: "Permit (EIP-2612)",
  allowance: "Approval and payment",
  on_behalf: "Paid by card or digital wallet",
  dai_permit: "Permit (DAI)",
};

export function Receipt({
  checkout,
  chain,
  paidHere,
}: {
  checkout: Checkout;
  chain: Chain;
  paidHere: boolean;
}) {
  const p = checkout.payment;
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    titleRef.current?.focus();
  }, []);
  const refunded = BigInt(checkout.amount_refunded);
  return (
    <section
      className="card receipt"
      aria-labelledby="receipt-title"
      data-testid="receipt"
      data-status={checkout.status}
    >
      <h2 id="receipt-title" ref={titleRef} tabIndex={-1}>
        {headline[checkout.status] ?? "Payment"}
      </h2>
      {checkout.status === "escrowed" && p && (
        <p>
          {checkout.merchant_name} has been told. Your money is held in escrow: buyer protection until{" "}
          {formatDateTime(p.release_after)}.
        </p>
      )}
      {checkout.status === "settled" && <p>The payment was released to {checkout.merchant_name}.</p>}
      {checkout.status === "disputed" && (
        <p>Your dispute is open. The payment stays frozen until it is resolved.</p>
      )}
      {checkout.status === "processing" && (
        <p>The network is confirming your payment. This page updates by itself.</p>
      )}
      <dl className="receipt-lines">
        <dt>Amount</dt>
        <dd data-testid="receipt-amount">
          {formatToken(checkout.amount, checkout.token)}
          {checkout.fiat && (
            <span className="muted"> ({formatFiat(checkout.fiat.amount, checkout.fiat.currency)})</span>
          )}
        </dd>
        {refunded > 0n && (
          <>
            <dt>Refunded</dt>
            <dd data-testid="receipt-refunded">{formatToken(refunded, checkout.token)}</dd>
          </>
        )}
        <dt>Merchant</dt>
        <dd>{checkout.merchant_name}</dd>
        <dt>Order</dt>
        <dd>
          <code>{checkout.id}</code>
        </dd>
        {p && (
          <>
            <dt>Paid from</dt>
            <dd title={p.payer}>{shortHex(p.payer)}</dd>
            <dt>Paid on</dt>
            <dd>{formatDateTime(p.paid_at)}</dd>
            <dt>Method</dt>
            <dd>{methodWords[p.method]}</dd>
            <dt>Transaction</dt>
            <dd>
              <TxLink chain={chain} hash={p.tx_hash} />{" "}
              <span className="muted">(block {p.block_number})</span>
            </dd>
            {p.released_tx_hash && (
              <>
                <dt>Released</dt>
                <dd>
                  <TxLink chain={chain} hash={p.released_tx_hash} />
                </dd>
              </>
            )}
          </>
        )}
      </dl>
      {checkout.success_url && (
        <ReturnToMerchant url={checkout.success_url} name={checkout.merchant_name} auto={paidHere} />
      )}
    </section>
  );
}

function ReturnToMerchant({ url, name, auto }: { url: string; name: string; auto: boolean }) {
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
        Return to {name}
      </a>
      {left !== undefined && (
        <p className="muted">
          Returning you to {name} in {left} s.{" "}
          <button type="button" className="link" onClick={() => setLeft(undefined)}>
            Stay on this page
          </button>
        </p>
      )}
    </div>
  );
}

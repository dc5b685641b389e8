/**
 * Paying from a wallet on another device: a QR code and link of this checkout page, to open in a phone
 * wallet's browser (MetaMask, Coinbase Wallet, Rainbow, Trust... open https links from their scanner).
 * This page keeps polling, so it shows the payment as soon as the phone makes it.
 *
 * Why not an EIP-681 `ethereum:` transfer link: the escrow accepts money only through pay /
 * payWithPermit / payWithAuthorization with the operator-signed terms (tuple arguments EIP-681 cannot
 * express); a plain token transfer to the escrow would not be credited to the order and could not be
 * refunded. So the code carries no chain id or token of its own: the phone opens this same checkout, on the
 * network and token selected here (the selection is the order's, kept by the API), which the panel names.
 * Shown when the customer picks "Wallet on your phone" among the ways to pay (PaymentMethods): the QR code
 * is drawn at once, and its library only downloaded then.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Chain } from "viem";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { shortHex } from "../../lib/format.ts";
import { useFormat } from "../../lib/localeFormat.ts";

export function MobileHandoff({ url, checkout, chain }: { url: string; checkout: Checkout; chain: Chain }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [svg, setSvg] = useState<string>();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (svg) return;
    let stale = false;
    import("qrcode")
      .then((qr) => qr.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" }))
      .then((text) => {
        if (!stale) setSvg(text);
      })
      .catch(() => {});
    return () => {
      stale = true;
    };
  }, [svg, url]);

  return (
    <section className="card handoff" aria-labelledby="handoff-title" data-testid="handoff">
      <div className="handoff-head">
        <span className="handoff-icon" aria-hidden="true" />
        <div>
          <h2 id="handoff-title">{t("handoff.title")}</h2>
          <p className="muted">{t("handoff.intro")}</p>
        </div>
      </div>
      <div className="handoff-panel">
        <p data-testid="handoff-option">
          {t("handoff.option", {
            amount: f.token(checkout.amount, checkout.token),
            network: chain.name,
            id: chain.id,
          })}{" "}
          <span title={checkout.token.address}>{shortHex(checkout.token.address)}</span>
        </p>
        {svg ? (
          <img
            className="qr"
            src={`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`}
            alt={t("handoff.qrAlt")}
            width={200}
            height={200}
            data-testid="qr-code"
          />
        ) : (
          <p className="muted">{t("handoff.drawing")}</p>
        )}
        <p className="handoff-link">
          <a href={url} data-testid="handoff-link" dir="ltr">
            {url}
          </a>
        </p>
        <button
          type="button"
          className="button secondary"
          onClick={() =>
            navigator.clipboard
              .writeText(url)
              .then(() => setCopied(true))
              .catch(() => setCopied(false))
          }
        >
          {t("handoff.copy")}
        </button>
        <span role="status" className="muted">
          {copied ? ` ${t("handoff.copied")}` : ""}
        </span>
      </div>
    </section>
  );
}

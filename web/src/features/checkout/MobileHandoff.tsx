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
 * The QR code is only drawn (and its library only downloaded) when the panel is opened.
 */
import { formatToken } from "@pier/money/display";
import { useEffect, useState } from "react";
import type { Chain } from "viem";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { shortHex } from "../../lib/format.ts";

export function MobileHandoff({ url, checkout, chain }: { url: string; checkout: Checkout; chain: Chain }) {
  const [open, setOpen] = useState(false);
  const [svg, setSvg] = useState<string>();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!open || svg) return;
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
  }, [open, svg, url]);

  return (
    <details className="card handoff" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Pay with a wallet on your phone</summary>
      <p>
        Scan this code with your phone's wallet app to open this checkout there. This page updates by itself
        once you have paid.
      </p>
      <p data-testid="handoff-option">
        You will pay {formatToken(checkout.amount, checkout.token)} on {chain.name} (chain id {chain.id}),
        token contract <span title={checkout.token.address}>{shortHex(checkout.token.address)}</span>.
      </p>
      {svg ? (
        <img
          className="qr"
          src={`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`}
          alt="QR code of this checkout page"
          width={200}
          height={200}
          data-testid="qr-code"
        />
      ) : (
        <p className="muted">Drawing the code…</p>
      )}
      <p className="handoff-link">
        <a href={url} data-testid="handoff-link">
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
        Copy link
      </button>
      <span role="status" className="muted">
        {copied ? " Link copied." : ""}
      </span>
    </details>
  );
}

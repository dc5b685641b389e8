/** A token's contract address, shortened (the full one in its title and a copy button), linked to the explorer when known. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Chain } from "viem";
import { tokenUrl } from "../../lib/chainOf.ts";
import { shortHex } from "../../lib/format.ts";

export function TokenAddress({ chain, address }: { chain: Chain; address: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const url = tokenUrl(chain, address);
  const label = shortHex(address);
  return (
    <>
      {url ? (
        <a
          href={url}
          target="_blank"
          rel="noreferrer"
          className="hash"
          title={address}
          data-testid="token-address"
          data-address={address}
        >
          {label}
          <span className="sr-only"> {t("common.tokenExplorer")}</span>
        </a>
      ) : (
        <code className="hash" title={address} data-testid="token-address" data-address={address}>
          {label}
        </code>
      )}{" "}
      <button
        type="button"
        className="link"
        aria-label={t("common.copyTokenAddress", { address })}
        onClick={() =>
          navigator.clipboard
            .writeText(address)
            .then(() => setCopied(true))
            .catch(() => setCopied(false))
        }
      >
        {t("common.copy")}
      </button>
      <span role="status" className="muted">
        {copied ? ` ${t("common.copied")}` : ""}
      </span>
    </>
  );
}

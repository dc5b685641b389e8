/** A transaction hash: a link to the chain's explorer when one is known, the shortened hash otherwise. */
import { useTranslation } from "react-i18next";
import type { Chain } from "viem";
import { txUrl } from "../../lib/chainOf.ts";
import { shortHex } from "../../lib/format.ts";

export function TxLink({ chain, hash }: { chain: Chain; hash: string }) {
  const { t } = useTranslation();
  const url = txUrl(chain, hash);
  const label = shortHex(hash, 6);
  if (!url) {
    return (
      <code className="hash" title={hash} data-testid="tx-hash" data-hash={hash}>
        {label}
      </code>
    );
  }
  return (
    <a href={url} target="_blank" rel="noreferrer" className="hash" data-testid="tx-hash" data-hash={hash}>
      {label}
      <span className="sr-only"> {t("common.opensExplorer")}</span>
    </a>
  );
}

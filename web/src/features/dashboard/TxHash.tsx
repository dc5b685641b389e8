/** A transaction hash: a block-explorer link when VITE_PIER_EXPLORER_URL is set, the full hash otherwise. */
import { env } from "../../lib/env.ts";
import { shortHex } from "../../lib/format.ts";

export function TxHash({ hash }: { hash: string }) {
  const label = shortHex(hash, 6);
  if (!env.explorerUrl) {
    return (
      <code className="hash" title={hash} data-testid="tx-hash" data-hash={hash}>
        {label}
      </code>
    );
  }
  return (
    <a
      href={`${env.explorerUrl}/tx/${hash}`}
      target="_blank"
      rel="noreferrer"
      className="hash"
      data-testid="tx-hash"
      data-hash={hash}
    >
      {label}
      <span className="sr-only"> (opens the block explorer in a new tab)</span>
    </a>
  );
}

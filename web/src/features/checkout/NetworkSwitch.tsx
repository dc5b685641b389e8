/** The wallet is on another chain than the order: one click to switch (or add) the order's chain. */
import { useConnection, useSwitchChain } from "wagmi";
import { chainName } from "../../lib/chainOf.ts";
import { describeError } from "../../lib/describeError.ts";

export function NetworkSwitch({ chainId, canAddChain }: { chainId: number; canAddChain: boolean }) {
  const connection = useConnection();
  const switchChain = useSwitchChain();
  const error = switchChain.error ? describeError(switchChain.error) : undefined;
  const unknownChain = /4902|Unrecognized chain|not been added|rpcUrls/i.test(
    String(switchChain.error?.message ?? ""),
  );
  return (
    <section className="card notice" aria-labelledby="network-title">
      <h2 id="network-title">Wrong network</h2>
      <p>
        Your wallet is on {connection.chainId ? chainName(connection.chainId) : "another network"}. This order
        is paid on {chainName(chainId)}.
      </p>
      <button
        type="button"
        className="button"
        disabled={switchChain.isPending}
        onClick={() => switchChain.mutate({ chainId })}
      >
        {switchChain.isPending ? "Confirm in your wallet…" : `Switch to ${chainName(chainId)}`}
      </button>
      {error && (
        <p className="error" role="alert">
          {unknownChain && !canAddChain
            ? `Your wallet does not know ${chainName(chainId)} (chain id ${chainId}). Add it in your wallet, then press Switch again.`
            : error.message}
        </p>
      )}
    </section>
  );
}

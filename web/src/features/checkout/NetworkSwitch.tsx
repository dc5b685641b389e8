/**
 * The wallet is on another chain than the order: one click to switch to the order's chain (EIP-3326
 * wallet_switchEthereumChain; wagmi's injected connector adds it with EIP-3085 wallet_addEthereumChain when
 * the wallet does not know it and the chain has a public RPC URL).
 */
import type { Chain } from "viem";
import { useChains, useConnection, useSwitchChain } from "wagmi";
import { chainName } from "../../lib/chainOf.ts";
import { describeError } from "../../lib/describeError.ts";

export function NetworkSwitch({ chain }: { chain: Chain }) {
  const connection = useConnection();
  const chains = useChains();
  const switchChain = useSwitchChain();
  const error = switchChain.error ? describeError(switchChain.error) : undefined;
  const canAddChain = chain.rpcUrls.default.http.length > 0;
  const unknownChain = /4902|Unrecognized chain|not been added|rpcUrls/i.test(
    String(switchChain.error?.message ?? ""),
  );
  const walletChain = connection.chainId
    ? (chains.find((c) => c.id === connection.chainId)?.name ?? chainName(connection.chainId))
    : "another network";
  return (
    <section className="card notice" aria-labelledby="network-title" data-testid="network-switch">
      <h2 id="network-title">Wrong network</h2>
      <p>
        Your wallet is on {walletChain}. This order is paid on {chain.name} (chain id {chain.id}).
      </p>
      <button
        type="button"
        className="button"
        disabled={switchChain.isPending}
        onClick={() => switchChain.mutate({ chainId: chain.id })}
      >
        {switchChain.isPending ? "Confirm in your wallet…" : `Switch to ${chain.name}`}
      </button>
      {error && (
        <p className="error" role="alert">
          {unknownChain && !canAddChain
            ? `Your wallet does not know ${chain.name} (chain id ${chain.id}). Add it in your wallet, then press Switch again.`
            : error.message}
        </p>
      )}
    </section>
  );
}

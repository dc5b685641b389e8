/**
 * The wallet is on another chain than the order: one click to switch to the order's chain (EIP-3326
 * wallet_switchEthereumChain). When the chain has a public RPC URL, wagmi's switchChain adds it (EIP-3085
 * wallet_addEthereumChain) to a wallet that does not know it (4902). Without one there is nothing to add
 * it with: the page asks for the switch itself and, on 4902, tells the customer to add the network.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Chain, type EIP1193Provider, numberToHex } from "viem";
import { useChains, useConnection, useSwitchChain } from "wagmi";
import { chainName } from "../../lib/chainOf.ts";
import { describedErrorText, describeError } from "../../lib/describeError.ts";
import { useFormat } from "../../lib/localeFormat.ts";

/** True for "the wallet does not know this chain" (4902, also as MetaMask Mobile wraps it). */
export function isUnknownChainError(error: unknown): boolean {
  const e = error as
    | { code?: unknown; data?: { originalError?: { code?: unknown } }; cause?: unknown; message?: unknown }
    | undefined;
  if (!e) return false;
  if (e.code === 4902 || e.data?.originalError?.code === 4902) return true;
  if (/4902|Unrecognized chain|not been added/i.test(String(e.message ?? ""))) return true;
  return e.cause !== undefined && e.cause !== e && isUnknownChainError(e.cause);
}

/** `subject`: what is paid on `chain`, as the page names it ("This order", "This subscription"). */
export function NetworkSwitch({ chain, subject }: { chain: Chain; subject?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const connection = useConnection();
  const chains = useChains();
  const switchChain = useSwitchChain();
  const canAddChain = chain.rpcUrls.default.http.length > 0;
  const [direct, setDirect] = useState<{ pending: boolean; error?: unknown }>({ pending: false });
  const pending = switchChain.isPending || direct.pending;
  const failure = canAddChain ? switchChain.error : direct.error;

  const switchWithoutAdding = async () => {
    setDirect({ pending: true });
    try {
      const provider = (await connection.connector?.getProvider()) as EIP1193Provider | undefined;
      if (!provider) throw new Error(t("networkSwitch.connectFirst"));
      await provider.request({
        method: "wallet_switchEthereumChain",
        params: [{ chainId: numberToHex(chain.id) }],
      });
      setDirect({ pending: false });
    } catch (error) {
      setDirect({ pending: false, error });
    }
  };

  const walletChain = connection.chainId
    ? (chains.find((c) => c.id === connection.chainId)?.name ?? chainName(connection.chainId))
    : t("networkSwitch.anotherNetwork");
  return (
    <section className="card notice" aria-labelledby="network-title" data-testid="network-switch">
      <h2 id="network-title">{t("networkSwitch.title")}</h2>
      <p>
        {t("networkSwitch.text", {
          wallet: walletChain,
          subject: subject ?? t("networkSwitch.thisOrder"),
          network: chain.name,
          id: chain.id,
        })}
      </p>
      <button
        type="button"
        className="button"
        disabled={pending}
        onClick={() => (canAddChain ? switchChain.mutate({ chainId: chain.id }) : void switchWithoutAdding())}
      >
        {pending ? t("common.confirmInWallet") : t("networkSwitch.switch", { network: chain.name })}
      </button>
      {failure !== undefined && failure !== null && (
        <p className="error" role="alert" data-testid="network-switch-error">
          {!canAddChain && isUnknownChainError(failure)
            ? t("networkSwitch.unknown", { network: chain.name, id: chain.id })
            : describedErrorText(t, f, describeError(failure))}
        </p>
      )}
    </section>
  );
}

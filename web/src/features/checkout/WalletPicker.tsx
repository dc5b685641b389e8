/** Choose a wallet (or see the connected one, with a way to disconnect). */
import { useTranslation } from "react-i18next";
import { useConnect, useConnection, useDisconnect } from "wagmi";
import { describedErrorText, describeError } from "../../lib/describeError.ts";
import { shortHex } from "../../lib/format.ts";
import { useFormat } from "../../lib/localeFormat.ts";
import { useWalletChoices } from "./useWalletChoices.ts";

/** `title`: the heading while no wallet is connected; `connectedAs`: the words before the connected account. */
export function WalletPicker({ title, connectedAs }: { title?: string; connectedAs?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const connection = useConnection();
  const choices = useWalletChoices();
  const connect = useConnect();
  const disconnect = useDisconnect();

  if (connection.status === "connected") {
    return (
      <div className="wallet-connected">
        <p>
          {connectedAs ?? t("wallet.payingFrom")}{" "}
          <strong title={connection.address}>{shortHex(connection.address)}</strong>
          <span className="muted"> · {connection.connector.name}</span>
        </p>
        <button type="button" className="link" onClick={() => disconnect.mutate()}>
          {t("wallet.another")}
        </button>
      </div>
    );
  }

  return (
    <section className="wallets" aria-labelledby="wallets-title">
      <h2 id="wallets-title">{title ?? t("wallet.title")}</h2>
      {choices.length === 0 ? (
        <p className="muted">{t("wallet.none")}</p>
      ) : (
        <ul className="wallet-list">
          {choices.map((connector) => (
            <li key={connector.uid}>
              <button
                type="button"
                className="wallet"
                disabled={connect.isPending}
                aria-busy={connect.isPending && connect.variables?.connector === connector}
                onClick={() => connect.mutate({ connector })}
              >
                {connector.icon && <img src={connector.icon} alt="" width={24} height={24} />}
                <span className="wallet-name">
                  {connector.type === "walletConnect" ? t("wallet.walletConnect") : connector.name}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {connect.isPending && (
        <p className="muted" role="status">
          {t("wallet.approveConnection")}
        </p>
      )}
      {connect.error && (
        <p className="error" role="alert">
          {describedErrorText(t, f, describeError(connect.error))}
        </p>
      )}
    </section>
  );
}

/**
 * Sign-in with a team member's wallet: pick an EIP-6963 wallet (like the checkout), sign a
 * Sign-In with Ethereum (EIP-4361) message built from the API's nonce, and the API sets the session
 * cookie. A refused or failed signature can be retried; a nonce that was used or expired is replaced.
 * When the API serves both test networks and mainnets, the merchant picks the mode first (`?mode=live`
 * preselects it): the nonce names that mode's chain, and the session sees only that mode's data.
 * `?merchant=mer_...` picks one of several merchants the wallet belongs to or is invited to (the link
 * to give an invited wallet that is already in another team).
 */

import type { DashboardSession, SiweNonce } from "@pier/client/types";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { defineChain } from "viem";
import { createSiweMessage } from "viem/siwe";
import { useConnect, useConnection, useDisconnect, useSignMessage, WagmiProvider } from "wagmi";
import { chainName } from "../../lib/chainOf.ts";
import { apiPost, errorText } from "../../lib/dashboardApi.ts";
import { describeError } from "../../lib/describeError.ts";
import { env } from "../../lib/env.ts";
import { shortHex } from "../../lib/format.ts";
import { createPierConfig } from "../../wagmi.ts";
import { useWalletChoices } from "../checkout/useWalletChoices.ts";
import { servedModes, useServedNetworks } from "./servedNetworks.ts";

type OnSignedIn = (session: DashboardSession) => void;

/** The merchant the page was opened for (`?merchant=mer_...`), if any. */
function requestedMerchant(): string | undefined {
  const merchant = new URLSearchParams(window.location.search).get("merchant");
  return merchant && /^mer_[0-9A-Za-z]{24}$/.test(merchant) ? merchant : undefined;
}

/** The mode the page was opened for (`?mode=live` or `?mode=test`), if any. */
function requestedMode(): boolean | undefined {
  const mode = new URLSearchParams(window.location.search).get("mode");
  return mode === "live" ? true : mode === "test" ? false : undefined;
}

export default function SignIn({ onSignedIn }: { onSignedIn: OnSignedIn }) {
  const [livemode, setLivemode] = useState(requestedMode);
  const modes = servedModes(useServedNetworks().data);
  const nonce = useQuery({
    queryKey: ["dashboard", "siwe-nonce", livemode ?? "default"],
    queryFn: () =>
      apiPost<SiweNonce>("/v1/dashboard/siwe/nonce", livemode === undefined ? undefined : { livemode }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const chainId = nonce.data?.chain_id;
  const config = useMemo(
    () =>
      chainId === undefined
        ? undefined
        : createPierConfig(
            defineChain({
              id: chainId,
              name: chainName(chainId),
              nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
              rpcUrls: { default: { http: env.rpcUrl ? [env.rpcUrl] : [] } },
            }),
          ),
    [chainId],
  );

  return (
    <main className="page">
      <h1>Merchant dashboard</h1>
      <p className="muted">
        Sign in with your shop's owner wallet. Signing costs nothing and sends no transaction.
      </p>
      {modes.length > 1 && (
        <ModePicker
          livemode={livemode ?? modes[0]!}
          onChange={(next) => {
            setLivemode(next);
            const url = new URL(window.location.href);
            url.searchParams.set("mode", next ? "live" : "test");
            window.history.replaceState(null, "", url);
          }}
        />
      )}
      {nonce.isError && (
        <div className="card">
          <p className="error" role="alert">
            {errorText(nonce.error)}
          </p>
          <button type="button" className="button" onClick={() => nonce.refetch()}>
            Try again
          </button>
        </div>
      )}
      {nonce.isPending && <p className="muted">Loading…</p>}
      {config && nonce.data && (
        <WagmiProvider config={config}>
          <WalletSignIn nonce={nonce.data} onSignedIn={onSignedIn} refreshNonce={() => nonce.refetch()} />
        </WagmiProvider>
      )}
    </main>
  );
}

function ModePicker({ livemode, onChange }: { livemode: boolean; onChange: (livemode: boolean) => void }) {
  const name = useId();
  return (
    <fieldset className="card mode-picker">
      <legend>Data to sign in to</legend>
      {[false, true].map((mode) => (
        <label key={String(mode)}>
          <input type="radio" name={name} checked={livemode === mode} onChange={() => onChange(mode)} />{" "}
          {mode ? "Live: mainnets, real money" : "Test: testnets and local chains"}
        </label>
      ))}
    </fieldset>
  );
}

function WalletSignIn({
  nonce,
  onSignedIn,
  refreshNonce,
}: {
  nonce: SiweNonce;
  onSignedIn: OnSignedIn;
  refreshNonce: () => Promise<unknown>;
}) {
  const connection = useConnection();
  const choices = useWalletChoices();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const sign = useSignMessage();

  const signIn = useMutation({
    mutationFn: async () => {
      if (connection.status !== "connected") throw new Error("Connect a wallet first.");
      const message = createSiweMessage({
        address: connection.address,
        chainId: nonce.chain_id,
        domain: nonce.domain,
        nonce: nonce.nonce,
        uri: nonce.uri,
        version: "1",
        statement: nonce.statement,
        issuedAt: new Date(),
        expirationTime: new Date(nonce.expires_at * 1000),
      });
      const signature = await sign.mutateAsync({ message });
      const merchant = requestedMerchant();
      return apiPost<DashboardSession>("/v1/dashboard/siwe/verify", {
        message,
        signature,
        ...(merchant ? { merchant } : {}),
      });
    },
    onSuccess: onSignedIn,
    onError: async (error) => {
      // The nonce is spent or stale after most server-side refusals: the next try needs a new one.
      if (!isWalletRejection(error)) await refreshNonce();
    },
  });

  if (connection.status !== "connected") {
    return (
      <section className="card wallets" aria-labelledby="signin-wallets">
        <h2 id="signin-wallets">Choose your wallet</h2>
        {choices.length === 0 ? (
          <p className="muted">
            No browser wallet found. Install a wallet extension that holds the owner account.
          </p>
        ) : (
          <ul className="wallet-list">
            {choices.map((connector) => (
              <li key={connector.uid}>
                <button
                  type="button"
                  className="wallet"
                  disabled={connect.isPending}
                  onClick={() => connect.mutate({ connector })}
                >
                  {connector.icon && <img src={connector.icon} alt="" width={24} height={24} />}
                  <span>{connector.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {connect.isPending && (
          <p className="muted" role="status">
            Approve the connection in your wallet…
          </p>
        )}
        {connect.error && (
          <p className="error" role="alert">
            {describeError(connect.error).message}
          </p>
        )}
      </section>
    );
  }

  return (
    <section className="card" aria-labelledby="signin-sign">
      <h2 id="signin-sign">Sign in</h2>
      <p>
        Wallet <strong title={connection.address}>{shortHex(connection.address)}</strong>
        <span className="muted"> · {connection.connector.name}</span>
      </p>
      <button
        type="button"
        className="button primary"
        data-testid="siwe-button"
        disabled={signIn.isPending}
        aria-busy={signIn.isPending}
        onClick={() => signIn.mutate()}
      >
        {signIn.isPending ? "Check your wallet…" : "Sign in with Ethereum"}
      </button>
      {signIn.error && (
        <p className="error" role="alert">
          {isWalletRejection(signIn.error)
            ? "You declined the signature in your wallet. Sign again when ready."
            : errorText(signIn.error)}
        </p>
      )}
      <button type="button" className="link" onClick={() => disconnect.mutate()}>
        Use another wallet
      </button>
    </section>
  );
}

function isWalletRejection(error: unknown): boolean {
  return describeError(error).kind === "rejected";
}

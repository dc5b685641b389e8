/**
 * An authorized subscription: "You're subscribed", who pays and the status, and how to stop it — revoke
 * the spend permission (SpendPermissions.revoke, from the payer's own wallet: no Pier needed), here or
 * from any block explorer's "write contract" tab.
 */

import type { CheckoutSubscription } from "@pier/client/types";
import { spendPermissionsAbi } from "@pier/contracts/abis";
import { spendPermissionFromJson } from "@pier/contracts/spendPermission";
import { useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { type Chain, getAddress, type Hex, isAddressEqual } from "viem";
import { useConfig, useConnection, useReadContract } from "wagmi";
import { waitForTransactionReceipt, writeContract } from "wagmi/actions";
import {
  type DescribedError,
  describedErrorText,
  describeError,
  knownError,
} from "../../lib/describeError.ts";
import { useFormat } from "../../lib/localeFormat.ts";
import { NetworkSwitch } from "../checkout/NetworkSwitch.tsx";
import { TxLink } from "../checkout/TxLink.tsx";
import { WalletPicker } from "../checkout/WalletPicker.tsx";
import { usePlanWords } from "./subscriptionWords.ts";

type SignedPermission = NonNullable<CheckoutSubscription["permission"]>;

/** The struct SpendPermissions.revoke takes, from the API's JSON (uint160/uint256 as decimal strings). */
export const permissionStruct = (m: SignedPermission["message"]) => spendPermissionFromJson(m);

export function RevokePanel({
  subscription,
  chains,
}: {
  subscription: CheckoutSubscription;
  chains: Map<number, Chain>;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const words = usePlanWords();
  const { permission, payer } = subscription;
  const merchant = subscription.merchant_name;
  const option = subscription.options.find(
    (o) => permission && o.network === permission.network && o.token === permission.message.token,
  );
  const symbol = option?.symbol;
  return (
    <>
      <section className="card receipt" data-testid="subscribed" data-status={subscription.status}>
        <h2>{t("subscribe.subscribed")}</h2>
        <dl className="receipt-lines">
          <dt>{t("receipt.paidFrom")}</dt>
          <dd>
            <code data-testid="payer">{payer}</code>
          </dd>
          <dt>{t("subscribe.statusLabel")}</dt>
          <dd data-testid="status">{words.status(subscription.status)}</dd>
          {subscription.next_charge_at !== null && (
            <>
              <dt>{t("subscribe.nextCharge")}</dt>
              <dd data-testid="next-charge">{f.dateTime(subscription.next_charge_at)}</dd>
            </>
          )}
          {permission && option && (
            <>
              <dt>{t("subscribe.atMost")}</dt>
              <dd data-testid="cap">
                {t("subscribe.cap", {
                  amount: f.token(permission.message.allowance, option),
                  period: words.period(permission.message.period),
                  end: f.dateTime(permission.message.end),
                })}
              </dd>
            </>
          )}
          {permission && (
            <>
              <dt>{t("summary.network")}</dt>
              <dd>
                {chains.get(permission.network)?.name ?? t("common.chainId", { id: permission.network })}
                {symbol && `, ${symbol}`}
              </dd>
            </>
          )}
        </dl>
      </section>
      <section className="card" aria-labelledby="revoke-title" data-testid="revoke">
        <h2 id="revoke-title">{t("subscribe.revokeTitle")}</h2>
        <p>{t("subscribe.revokeText", { merchant })}</p>
        {permission && payer ? (
          <>
            <RevokeAction
              permission={permission}
              payer={getAddress(payer)}
              chain={chains.get(permission.network)!}
            />
            <p className="muted" data-testid="revoke-elsewhere">
              <Trans
                i18nKey="subscribe.revokeElsewhere"
                values={{ contract: permission.spend_permissions }}
                components={{ code: <code dir="ltr" /> }}
              />{" "}
              <code className="hash hash-block" data-testid="permission-tuple" dir="ltr">
                [{permission.message.account}, {permission.message.operator}, {permission.message.merchant},{" "}
                {permission.message.token}, {permission.message.allowance}, {permission.message.period},{" "}
                {permission.message.start}, {permission.message.end}, {permission.message.salt}]
              </code>
            </p>
          </>
        ) : (
          <p className="muted">{t("subscribe.contactToStop", { merchant })}</p>
        )}
      </section>
    </>
  );
}

function RevokeAction({
  permission,
  payer,
  chain,
}: {
  permission: SignedPermission;
  payer: `0x${string}`;
  chain: Chain;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const config = useConfig();
  const connection = useConnection();
  const [tx, setTx] = useState<{ running: boolean; hash?: Hex; error?: DescribedError; done?: boolean }>({
    running: false,
  });
  const retryRef = useRef<HTMLButtonElement>(null);
  const isPayer = connection.status === "connected" && isAddressEqual(connection.address, payer);
  const onChain = connection.status === "connected" && connection.chainId === permission.network;
  const contract = { address: getAddress(permission.spend_permissions), abi: spendPermissionsAbi } as const;
  const state = useReadContract({
    ...contract,
    functionName: "permissionState",
    args: [permission.hash as Hex],
    chainId: permission.network,
    query: { enabled: isPayer && onChain },
  });
  const revoked = tx.done === true || state.data?.revoked === true;

  const revoke = async () => {
    setTx({ running: true });
    try {
      const hash = await writeContract(config, {
        ...contract,
        functionName: "revoke",
        args: [permissionStruct(permission.message)],
        account: payer,
        chainId: permission.network,
      });
      setTx({ running: true, hash });
      const receipt = await waitForTransactionReceipt(config, { hash, chainId: permission.network });
      if (receipt.status !== "success") {
        setTx({ running: false, hash, error: knownError("contract", "errors.revokeReverted") });
        setTimeout(() => retryRef.current?.focus(), 0);
        return;
      }
      setTx({ running: false, hash, done: true });
      void state.refetch();
    } catch (error) {
      setTx({ running: false, error: describeError(error) });
      setTimeout(() => retryRef.current?.focus(), 0);
    }
  };

  if (revoked) {
    return (
      <p className="status-line" role="status" data-testid="revoked">
        {t("subscribe.revoked")}
        {tx.hash && (
          <>
            {" "}
            {t("common.transaction")} <TxLink chain={chain} hash={tx.hash} />
          </>
        )}
      </p>
    );
  }
  return (
    <>
      <WalletPicker title={t("subscribe.connectPayer")} connectedAs={t("subscribe.connected")} />
      {connection.status === "connected" && !isPayer && (
        <p className="muted">
          <Trans i18nKey="subscribe.onlyPayer" values={{ payer }} components={{ code: <code dir="ltr" /> }} />
        </p>
      )}
      {isPayer && !onChain && <NetworkSwitch chain={chain} subject={t("subscribe.thisSubscription")} />}
      {isPayer && onChain && (
        <button
          ref={retryRef}
          type="button"
          className="button"
          data-testid="revoke-button"
          disabled={tx.running}
          aria-busy={tx.running}
          onClick={() => void revoke()}
        >
          {tx.running
            ? tx.hash
              ? t("subscribe.revoking")
              : t("common.confirmInWallet")
            : t("subscribe.revokeTitle")}
        </button>
      )}
      <p className="sr-only" role="status">
        {tx.running ? t("subscribe.revokingPermission") : ""}
      </p>
      {tx.error && (
        <p className="error" role="alert" data-testid="revoke-error">
          {describedErrorText(t, f, tx.error)}
        </p>
      )}
    </>
  );
}

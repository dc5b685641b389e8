/**
 * An authorized subscription: "You're subscribed", who pays and the status, and how to stop it — revoke
 * the spend permission (SpendPermissions.revoke, from the payer's own wallet: no Pier needed), here or
 * from any block explorer's "write contract" tab.
 */

import type { CheckoutSubscription } from "@pier/client/types";
import { spendPermissionsAbi } from "@pier/contracts/abis";
import { spendPermissionFromJson } from "@pier/contracts/spendPermission";
import { formatToken } from "@pier/money/display";
import { useRef, useState } from "react";
import { type Chain, getAddress, type Hex, isAddressEqual } from "viem";
import { useConfig, useConnection, useReadContract } from "wagmi";
import { waitForTransactionReceipt, writeContract } from "wagmi/actions";
import { describeError } from "../../lib/describeError.ts";
import { formatDateTime } from "../../lib/format.ts";
import { NetworkSwitch } from "../checkout/NetworkSwitch.tsx";
import { TxLink } from "../checkout/TxLink.tsx";
import { WalletPicker } from "../checkout/WalletPicker.tsx";
import { periodWords, statusWords } from "./subscriptionTerms.ts";

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
  const { permission, payer } = subscription;
  const option = subscription.options.find(
    (o) => permission && o.network === permission.network && o.token === permission.message.token,
  );
  const symbol = option?.symbol;
  return (
    <>
      <section className="card receipt" data-testid="subscribed" data-status={subscription.status}>
        <h2>You're subscribed</h2>
        <dl className="receipt-lines">
          <dt>Paid from</dt>
          <dd>
            <code data-testid="payer">{payer}</code>
          </dd>
          <dt>Status</dt>
          <dd data-testid="status">{statusWords[subscription.status]}</dd>
          {subscription.next_charge_at !== null && (
            <>
              <dt>Next charge</dt>
              <dd data-testid="next-charge">{formatDateTime(subscription.next_charge_at)}</dd>
            </>
          )}
          {permission && option && (
            <>
              <dt>At most</dt>
              <dd data-testid="cap">
                {formatToken(permission.message.allowance, option)} per{" "}
                {periodWords(permission.message.period)}, until {formatDateTime(permission.message.end)}
              </dd>
            </>
          )}
          {permission && (
            <>
              <dt>Network</dt>
              <dd>
                {chains.get(permission.network)?.name ?? `chain ${permission.network}`}
                {symbol && `, ${symbol}`}
              </dd>
            </>
          )}
        </dl>
      </section>
      <section className="card" aria-labelledby="revoke-title" data-testid="revoke">
        <h2 id="revoke-title">Revoke permission</h2>
        <p>
          Revoking the spend permission stops all future charges at once: nobody, not even{" "}
          {subscription.merchant_name} or Pier, can charge it again. Charges already made are not undone.
        </p>
        {permission && payer ? (
          <>
            <RevokeAction
              permission={permission}
              payer={getAddress(payer)}
              chain={chains.get(permission.network)!}
            />
            <p className="muted" data-testid="revoke-elsewhere">
              It also works without this page: open the SpendPermissions contract{" "}
              <code>{permission.spend_permissions}</code> in any block explorer's "write contract" tab,
              connect the wallet that subscribed, and call <code>revoke</code> with the permission{" "}
              <code className="hash hash-block" data-testid="permission-tuple">
                [{permission.message.account}, {permission.message.operator}, {permission.message.merchant},{" "}
                {permission.message.token}, {permission.message.allowance}, {permission.message.period},{" "}
                {permission.message.start}, {permission.message.end}, {permission.message.salt}]
              </code>
            </p>
          </>
        ) : (
          <p className="muted">Contact {subscription.merchant_name} to stop this subscription.</p>
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
  const config = useConfig();
  const connection = useConnection();
  const [tx, setTx] = useState<{ running: boolean; hash?: Hex; error?: string; done?: boolean }>({
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
      if (receipt.status !== "success") throw new Error("The revoke transaction failed on chain. Try again.");
      setTx({ running: false, hash, done: true });
      void state.refetch();
    } catch (error) {
      setTx({ running: false, error: describeError(error).message });
      setTimeout(() => retryRef.current?.focus(), 0);
    }
  };

  if (revoked) {
    return (
      <p className="status-line" role="status" data-testid="revoked">
        Permission revoked: no further charges can be taken.
        {tx.hash && (
          <>
            {" "}
            Transaction <TxLink chain={chain} hash={tx.hash} />
          </>
        )}
      </p>
    );
  }
  return (
    <>
      <WalletPicker title="Connect the wallet that subscribed" connectedAs="Connected" />
      {connection.status === "connected" && !isPayer && (
        <p className="muted">
          Only the wallet that subscribed, <code>{payer}</code>, can revoke: use that one.
        </p>
      )}
      {isPayer && !onChain && <NetworkSwitch chain={chain} subject="This subscription" />}
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
          {tx.running ? (tx.hash ? "Revoking…" : "Confirm in your wallet…") : "Revoke permission"}
        </button>
      )}
      <p className="sr-only" role="status">
        {tx.running ? "Revoking the permission…" : ""}
      </p>
      {tx.error && (
        <p className="error" role="alert" data-testid="revoke-error">
          {tx.error}
        </p>
      )}
    </>
  );
}

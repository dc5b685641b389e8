/**
 * During buyer protection, the payer can open a dispute from the wallet that paid: dispute(Payment) on
 * the escrow, which freezes the release until the arbiter resolves it.
 */
import { paymentEscrowAbi } from "@pier/contracts/abis";
import { paymentRecordFromJson } from "@pier/contracts/termsJson";
import { useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useConnection, useWaitForTransactionReceipt, useWriteContract } from "wagmi";
import type { ChainClock } from "../../lib/chainClock.ts";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { describedErrorText, describeError } from "../../lib/describeError.ts";
import { shortHex } from "../../lib/format.ts";
import { useFormat } from "../../lib/localeFormat.ts";
import { WalletPicker } from "./WalletPicker.tsx";

export function DisputePanel({
  checkout,
  clock,
  onChange,
}: {
  checkout: Checkout;
  clock: ChainClock;
  onChange: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const connection = useConnection();
  const [confirming, setConfirming] = useState(false);
  const write = useWriteContract();
  const receipt = useWaitForTransactionReceipt({ hash: write.data, chainId: checkout.chain_id });
  useEffect(() => {
    if (receipt.isSuccess) onChange();
  }, [receipt.isSuccess, onChange]);
  const record = checkout.payment_record ? paymentRecordFromJson(checkout.payment_record) : null;
  const payment = checkout.payment;
  if (!record || !payment || payment.method === "on_behalf") return null;
  if (checkout.status !== "escrowed" || clock.chainNow >= payment.release_after) return null;

  const isPayer = connection.address?.toLowerCase() === record.payer.toLowerCase();
  const onChain = connection.chainId === checkout.chain_id;
  const error = write.error ?? receipt.error;

  return (
    <section className="card dispute" aria-labelledby="dispute-title">
      <h2 id="dispute-title">{t("dispute.title")}</h2>
      <p>
        <Trans
          i18nKey="dispute.text"
          values={{
            merchant: checkout.merchant_name,
            date: f.dateTime(clock.toLocal(payment.release_after)),
          }}
          components={{ strong: <strong /> }}
        />
      </p>
      {!isPayer && (
        <>
          <p className="muted">{t("dispute.connectPayer", { address: shortHex(record.payer) })}</p>
          {connection.status !== "connected" && <WalletPicker title={t("dispute.connectTitle")} />}
        </>
      )}
      {isPayer && !onChain && <p className="muted">{t("dispute.switchBack")}</p>}
      {isPayer && onChain && !confirming && (
        <button type="button" className="button secondary" onClick={() => setConfirming(true)}>
          {t("dispute.open")}
        </button>
      )}
      {isPayer && onChain && confirming && (
        <div className="confirm">
          <p>{t("dispute.confirmText")}</p>
          <button
            type="button"
            className="button danger"
            disabled={write.isPending || receipt.isLoading}
            onClick={() =>
              write.mutate({
                address: checkout.escrow,
                abi: paymentEscrowAbi,
                functionName: "dispute",
                args: [record],
                chainId: checkout.chain_id,
              })
            }
          >
            {write.isPending
              ? t("common.confirmInWallet")
              : receipt.isLoading
                ? t("dispute.opening")
                : t("dispute.confirm")}
          </button>{" "}
          <button type="button" className="link" onClick={() => setConfirming(false)}>
            {t("common.cancel")}
          </button>
        </div>
      )}
      <p role="status" className="muted">
        {receipt.isSuccess ? t("dispute.opened") : ""}
      </p>
      {error && (
        <p className="error" role="alert">
          {describedErrorText(t, f, describeError(error, { token: checkout.token }))}
        </p>
      )}
    </section>
  );
}

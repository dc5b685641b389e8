/**
 * During buyer protection, the payer can open a dispute from the wallet that paid: dispute(Payment) on
 * the escrow, which freezes the release until the arbiter resolves it.
 */
import { paymentEscrowAbi } from "@pier/contracts/abis";
import { paymentRecordFromJson } from "@pier/contracts/termsJson";
import { useEffect, useState } from "react";
import { useConnection, useWaitForTransactionReceipt, useWriteContract } from "wagmi";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { describeError } from "../../lib/describeError.ts";
import { formatDateTime, shortHex } from "../../lib/format.ts";
import { WalletPicker } from "./WalletPicker.tsx";

export function DisputePanel({
  checkout,
  now,
  onChange,
}: {
  checkout: Checkout;
  now: number;
  onChange: () => void;
}) {
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
  if (checkout.status !== "escrowed" || now >= payment.release_after) return null;

  const isPayer = connection.address?.toLowerCase() === record.payer.toLowerCase();
  const onChain = connection.chainId === checkout.chain_id;
  const error = write.error ?? receipt.error;

  return (
    <section className="card dispute" aria-labelledby="dispute-title">
      <h2 id="dispute-title">Problem with this order?</h2>
      <p>
        Talk to {checkout.merchant_name} first. Until {formatDateTime(payment.release_after)} you can also
        open a dispute: the payment stays frozen until an arbiter decides.
      </p>
      {!isPayer && (
        <>
          <p className="muted">Connect the wallet that paid ({shortHex(record.payer)}) to open a dispute.</p>
          {connection.status !== "connected" && <WalletPicker title="Connect the wallet that paid" />}
        </>
      )}
      {isPayer && !onChain && (
        <p className="muted">Switch your wallet back to this order's network to open a dispute.</p>
      )}
      {isPayer && onChain && !confirming && (
        <button type="button" className="button secondary" onClick={() => setConfirming(true)}>
          Open a dispute
        </button>
      )}
      {isPayer && onChain && confirming && (
        <div className="confirm">
          <p>Open a dispute for this payment? You will confirm one transaction in your wallet.</p>
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
              ? "Confirm in your wallet…"
              : receipt.isLoading
                ? "Opening the dispute…"
                : "Yes, open a dispute"}
          </button>{" "}
          <button type="button" className="link" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      <p role="status" className="muted">
        {receipt.isSuccess ? "Dispute opened. This page will update in a moment." : ""}
      </p>
      {error && (
        <p className="error" role="alert">
          {describeError(error, { token: checkout.token }).message}
        </p>
      )}
    </section>
  );
}

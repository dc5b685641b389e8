/**
 * One order: amounts, payment and release transactions, refund and early release (each confirmed in a
 * dialog; with a passkey registered the API asks for it first; shown only to roles that may), and the event
 * timeline, all live.
 */

import type { Order } from "@pier/client/types";
import { formatToken } from "@pier/money/display";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiGet, apiPost, errorText } from "../../../lib/dashboardApi.ts";
import { formatDateTime } from "../../../lib/format.ts";
import { ConfirmDialog } from "../ConfirmDialog.tsx";
import { useCan } from "../permissions.ts";
import { StatusBadge } from "../StatusBadge.tsx";
import { TxHash } from "../TxHash.tsx";
import { EventTimeline } from "./EventTimeline.tsx";
import { RefundDialog } from "./RefundDialog.tsx";

export function OrderDetail({ orderId, onBack }: { orderId: string; onBack: () => void }) {
  const client = useQueryClient();
  const [dialog, setDialog] = useState<"refund" | "release">();
  const can = useCan();
  const order = useQuery({
    queryKey: ["dashboard", "order", orderId],
    queryFn: () => apiGet<Order>(`/v1/orders/${encodeURIComponent(orderId)}`),
    refetchInterval: 2_000,
  });
  const refresh = () => client.invalidateQueries({ queryKey: ["dashboard"] });

  if (order.isPending) return <p className="muted">Loading order…</p>;
  if (order.isError) {
    return (
      <section>
        <p className="error" role="alert">
          {errorText(order.error)}
        </p>
        <button type="button" className="link" onClick={onBack}>
          Back to orders
        </button>
      </section>
    );
  }
  const o = order.data;
  const remaining = BigInt(o.amount) - BigInt(o.amount_refunded);
  const escrowed = o.status === "escrowed" && !o.payment?.released_at;
  const canRefund = escrowed && remaining > 0n && can("refunds:write");
  const canRelease = escrowed && !o.payment?.held && o.dispute?.status !== "open" && can("orders:release");

  return (
    <section aria-labelledby="order-title" className="order-detail">
      <button type="button" className="link" onClick={onBack}>
        ← Orders
      </button>
      <h1 id="order-title">{o.description || "Order"}</h1>
      <p className="muted">
        <code>{o.id}</code> · <StatusBadge status={o.status} />
      </p>
      <dl className="facts card">
        <dt>Amount</dt>
        <dd data-testid="order-amount">{formatToken(o.amount, o.token)}</dd>
        <dt>Refunded</dt>
        <dd data-testid="order-refunded">{formatToken(o.amount_refunded, o.token)}</dd>
        <dt>Released</dt>
        <dd>{formatToken(o.amount_released, o.token)}</dd>
        <dt>Fee</dt>
        <dd>{formatToken(o.fee, o.token)}</dd>
        {o.payment && BigInt(o.payment.merchant_credited) > 0n && (
          <>
            <dt>Held as credit</dt>
            <dd data-testid="order-merchant-credited">
              {formatToken(o.payment.merchant_credited, o.token)} of your payout: the token refused the
              transfer; paid to your payout address as soon as the token allows
            </dd>
          </>
        )}
        {o.payment && BigInt(o.payment.refund_credited) > 0n && (
          <>
            <dt>Refund held</dt>
            <dd data-testid="order-refund-credited">
              {formatToken(o.payment.refund_credited, o.token)}: the token refused the refund transfer; paid
              to the customer's refund address as soon as the token allows
            </dd>
          </>
        )}
        <dt>Created</dt>
        <dd>{formatDateTime(o.created)}</dd>
        {o.payment && (
          <>
            <dt>Paid by</dt>
            <dd>
              <code title={o.payment.payer}>{o.payment.payer}</code>
            </dd>
            <dt>Payment</dt>
            <dd>
              <TxHash hash={o.payment.tx_hash} /> · {formatDateTime(o.payment.paid_at)}
            </dd>
            <dt>Releases</dt>
            <dd>
              {o.payment.released_tx_hash ? (
                <TxHash hash={o.payment.released_tx_hash} />
              ) : (
                <>automatically after {formatDateTime(o.payment.release_after)}</>
              )}
              {o.payment.held && " · on hold for review"}
            </dd>
          </>
        )}
      </dl>
      {(canRefund || canRelease) && (
        <div className="actions">
          {canRefund && (
            <button type="button" className="button danger" onClick={() => setDialog("refund")}>
              Refund…
            </button>
          )}
          {canRelease && (
            <button type="button" className="button" onClick={() => setDialog("release")}>
              Release now…
            </button>
          )}
        </div>
      )}
      {dialog === "refund" && (
        <RefundDialog order={o} remaining={remaining} onClose={() => setDialog(undefined)} onDone={refresh} />
      )}
      {dialog === "release" && (
        <ConfirmDialog
          title="Release the funds now?"
          confirmLabel="Release"
          onClose={() => setDialog(undefined)}
          onConfirm={async () => {
            await apiPost(`/v1/orders/${o.id}/release`);
            await refresh();
          }}
        >
          <p>
            {formatToken(BigInt(o.amount) - BigInt(o.amount_refunded) - BigInt(o.fee), o.token)} (net of fee)
            goes to your payout address now. The buyer-protection window ends and the order can no longer be
            refunded.
          </p>
        </ConfirmDialog>
      )}
      <EventTimeline orderId={o.id} />
    </section>
  );
}

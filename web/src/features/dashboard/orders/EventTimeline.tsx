/** An order's events, oldest first, polled so refunds and releases appear as they are indexed. */

import type { Page } from "@pier/client";
import type { EventType, Event as PierEvent } from "@pier/client/types";
import { useQuery } from "@tanstack/react-query";
import { apiGet, errorText } from "../../../lib/dashboardApi.ts";
import { formatDateTime } from "../../../lib/format.ts";
import { TxHash } from "../TxHash.tsx";

/** Words for the order's events (keys checked against the API's event types; others show their type). */
const LABELS: Partial<Record<EventType, string>> = {
  "order.processing": "Payment seen on chain",
  "order.escrowed": "Payment final, funds in escrow",
  "order.settled": "Released to you",
  "order.refunded": "Refunded in full",
  "order.partially_refunded": "Partly refunded",
  "order.disputed": "Disputed by the payer",
  "order.expired": "Expired unpaid",
  "order.canceled": "Canceled",
  "order.payment_reverted": "Payment removed by a chain reorganisation",
  "order.paid_after_cancel": "Paid after it was canceled: refunding the customer in full",
  "order.payout_credited": "A payout the token refused, held as a credit until it can be paid",
  "order.payment_method_chosen": "The customer's checkout chose how to pay",
  "refund.succeeded": "Refund sent",
  "refund.failed": "Refund failed",
  "credit.paid_out": "Credited payout paid to your payout address",
};

/** What the customer was told when the checkout chose how they pay (order.payment_method_chosen). */
function choiceOf(event: PierEvent): { method: string; reason: string } | undefined {
  if (event.type !== "order.payment_method_chosen") return undefined;
  const object = event.data.object as { method?: unknown; reason?: unknown };
  return typeof object.method === "string" && typeof object.reason === "string"
    ? { method: object.method, reason: object.reason }
    : undefined;
}

function txOf(event: PierEvent): string | undefined {
  const object = event.data.object as { tx_hash?: unknown; payment?: { tx_hash?: unknown } };
  const hash = object.tx_hash ?? (event.type === "order.escrowed" ? object.payment?.tx_hash : undefined);
  return typeof hash === "string" ? hash : undefined;
}

export function EventTimeline({ orderId }: { orderId: string }) {
  const events = useQuery({
    queryKey: ["dashboard", "order-events", orderId],
    queryFn: () => apiGet<Page<PierEvent>>(`/v1/events?order=${encodeURIComponent(orderId)}&limit=100`),
    refetchInterval: 2_000,
  });
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {events.isError && (
        <p className="error" role="alert">
          {errorText(events.error)}
        </p>
      )}
      {events.data && events.data.data.length === 0 && <p className="muted">No events yet.</p>}
      <ol className="timeline" data-testid="timeline" aria-live="polite">
        {[...(events.data?.data ?? [])].reverse().map((e) => {
          const tx = txOf(e);
          const choice = choiceOf(e);
          return (
            <li key={e.id} data-testid="timeline-event" data-type={e.type}>
              <strong>{LABELS[e.type as EventType] ?? e.type}</strong>
              <span className="muted">
                {" "}
                · {formatDateTime(e.created)} · <code>{e.type}</code>
              </span>
              {tx && (
                <>
                  {" "}
                  · <TxHash hash={tx} />
                </>
              )}
              {choice && (
                <p className="muted" data-testid="timeline-choice">
                  <code>{choice.method}</code>: {choice.reason}
                </p>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

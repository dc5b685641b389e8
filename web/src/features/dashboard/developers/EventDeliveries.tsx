/** Recent events with their webhook deliveries (per endpoint: status, attempts, last answer) and redeliver. */

import type { Page } from "@pier/client";
import type { Event as PierEvent, WebhookDelivery } from "@pier/client/types";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiGet, apiPost, errorText } from "../../../lib/dashboardApi.ts";
import { formatDateTime } from "../../../lib/format.ts";

export function EventDeliveries() {
  const [undeliveredOnly, setUndeliveredOnly] = useState(false);
  const events = useQuery({
    queryKey: ["dashboard", "events", undeliveredOnly],
    queryFn: () => apiGet<Page<PierEvent>>(`/v1/events?limit=25${undeliveredOnly ? "&delivered=false" : ""}`),
    refetchInterval: 5_000,
  });
  return (
    <section aria-labelledby="deliveries-title" className="card">
      <h2 id="deliveries-title">Events and webhook deliveries</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={undeliveredOnly}
          onChange={(e) => setUndeliveredOnly(e.target.checked)}
        />{" "}
        Only events not delivered yet
      </label>
      {events.isError && (
        <p className="error" role="alert">
          {errorText(events.error)}
        </p>
      )}
      {events.data?.data.length === 0 && <p className="muted">No events.</p>}
      <ul className="rows">
        {events.data?.data.map((e) => (
          <li key={e.id}>
            <details>
              <summary>
                <code>{e.type}</code> <span className="muted small">{formatDateTime(e.created)}</span>
                {e.pending_webhooks > 0 && <span className="badge"> {e.pending_webhooks} pending</span>}
              </summary>
              <EventDeliveryLog event={e} />
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}

function EventDeliveryLog({ event }: { event: PierEvent }) {
  const client = useQueryClient();
  const deliveries = useQuery({
    queryKey: ["dashboard", "deliveries", event.id],
    queryFn: () => apiGet<Page<WebhookDelivery>>(`/v1/events/${event.id}/deliveries`),
  });
  const redeliver = useMutation({
    mutationFn: () => apiPost(`/v1/events/${event.id}/redeliver`),
    onSuccess: () => client.invalidateQueries({ queryKey: ["dashboard", "deliveries", event.id] }),
  });
  return (
    <div className="delivery-log">
      {deliveries.data?.data.length === 0 && <p className="muted small">Not sent to any endpoint.</p>}
      <ul>
        {deliveries.data?.data.map((d) => (
          <li key={d.id}>
            <code>{d.endpoint}</code>: {d.status}, {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
            {d.last_status_code !== null && `, last answer ${d.last_status_code}`}
            {d.last_error && <span className="muted"> ({d.last_error})</span>}
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="button"
        disabled={redeliver.isPending}
        onClick={() => redeliver.mutate()}
      >
        Redeliver
      </button>
      {redeliver.isSuccess && <span role="status"> Queued.</span>}
      {redeliver.error && (
        <p className="error" role="alert">
          {errorText(redeliver.error)}
        </p>
      )}
    </div>
  );
}

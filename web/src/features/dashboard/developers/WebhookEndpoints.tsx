/** Webhook endpoints: create with event filters, rotate the signing secret (shown once), enable/disable. */

import type { Page } from "@pier/client";
import { EVENT_TYPES } from "@pier/client/enums";
import type { EventType, WebhookEndpoint } from "@pier/client/types";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { apiGet, apiPost, errorText } from "../../../lib/dashboardApi.ts";
import { ConfirmDialog } from "../ConfirmDialog.tsx";
import { SecretOnce } from "./SecretOnce.tsx";

const ENDPOINTS = ["dashboard", "webhook-endpoints"];

export function WebhookEndpoints() {
  const client = useQueryClient();
  const urlId = useId();
  const [url, setUrl] = useState("");
  const [all, setAll] = useState(true);
  const [events, setEvents] = useState<EventType[]>(["order.escrowed"]);
  const [secret, setSecret] = useState<{ label: string; value: string }>();
  const [rotating, setRotating] = useState<WebhookEndpoint>();
  const endpoints = useQuery({
    queryKey: ENDPOINTS,
    queryFn: () => apiGet<Page<WebhookEndpoint>>("/v1/webhook_endpoints?limit=100"),
  });
  const create = useMutation({
    mutationFn: () =>
      apiPost<WebhookEndpoint>("/v1/webhook_endpoints", { url, enabled_events: all ? ["*"] : events }),
    onSuccess: (endpoint) => {
      setSecret({ label: `Signing secret of ${endpoint.url}.`, value: endpoint.secret! });
      setUrl("");
      return client.invalidateQueries({ queryKey: ENDPOINTS });
    },
  });

  return (
    <section aria-labelledby="endpoints-title" className="card">
      <h2 id="endpoints-title">Webhook endpoints</h2>
      {secret && (
        <SecretOnce label={secret.label} secret={secret.value} onDismiss={() => setSecret(undefined)} />
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label htmlFor={urlId}>Endpoint URL</label>
        <input
          id={urlId}
          type="url"
          required
          placeholder="https://shop.example/pier/webhooks"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> All events
        </label>
        {!all && (
          <fieldset className="scopes">
            <legend>Events to send</legend>
            {EVENT_TYPES.map((t) => (
              <label key={t} className="check">
                <input
                  type="checkbox"
                  checked={events.includes(t)}
                  onChange={(e) =>
                    setEvents((cur) => (e.target.checked ? [...cur, t] : cur.filter((x) => x !== t)))
                  }
                />{" "}
                {t}
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" className="button primary" disabled={create.isPending}>
          Add endpoint
        </button>
      </form>
      {create.error && (
        <p className="error" role="alert">
          {errorText(create.error)}
        </p>
      )}
      {endpoints.isError && (
        <p className="error" role="alert">
          {errorText(endpoints.error)}
        </p>
      )}
      <ul className="rows" data-testid="webhook-endpoints">
        {endpoints.data?.data.map((e) => (
          <li key={e.id} data-testid="webhook-endpoint" data-endpoint={e.id}>
            <div>
              <code>{e.url}</code>
              <div className="muted small">
                {e.status} · {e.enabled_events.includes("*") ? "all events" : e.enabled_events.join(", ")}
              </div>
            </div>
            <div className="actions">
              <button type="button" className="button" onClick={() => setRotating(e)}>
                Rotate secret…
              </button>
            </div>
          </li>
        ))}
      </ul>
      {rotating && (
        <ConfirmDialog
          title="Rotate the signing secret?"
          confirmLabel="Rotate"
          onClose={() => setRotating(undefined)}
          onConfirm={async () => {
            const rotated = await apiPost<WebhookEndpoint>(
              `/v1/webhook_endpoints/${rotating.id}/rotate_secret`,
              {
                expires_in: 86_400,
              },
            );
            setSecret({ label: `New signing secret of ${rotated.url}.`, value: rotated.secret! });
            await client.invalidateQueries({ queryKey: ENDPOINTS });
          }}
        >
          <p>
            Deliveries are signed with both secrets for 24 hours (several <code>v1</code> signatures), so your
            server can switch without missing one.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

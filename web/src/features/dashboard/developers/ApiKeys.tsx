/** API keys: create (secret or restricted), roll, revoke; a new secret is shown once. */

import type { Page } from "@pier/client";
import { API_KEY_SCOPES } from "@pier/client/enums";
import type { ApiKey, ApiKeyScope } from "@pier/client/types";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { apiGet, apiPost, errorText } from "../../../lib/dashboardApi.ts";
import { formatDateTime } from "../../../lib/format.ts";
import { ConfirmDialog } from "../ConfirmDialog.tsx";
import { SecretOnce } from "./SecretOnce.tsx";

const KEYS = ["dashboard", "keys"];

export function ApiKeys() {
  const client = useQueryClient();
  const nameId = useId();
  const [name, setName] = useState("");
  const [restricted, setRestricted] = useState(false);
  const [scopes, setScopes] = useState<ApiKeyScope[]>(["orders:read"]);
  const [secret, setSecret] = useState<{ label: string; value: string }>();
  const [confirm, setConfirm] = useState<{ key: ApiKey; action: "roll" | "revoke" }>();
  const keys = useQuery({ queryKey: KEYS, queryFn: () => apiGet<Page<ApiKey>>("/v1/keys?limit=100") });
  const create = useMutation({
    mutationFn: () =>
      apiPost<ApiKey>(
        "/v1/keys",
        restricted ? { name, type: "restricted", scopes } : { name, type: "secret" },
      ),
    onSuccess: (key) => {
      setSecret({ label: `New key "${key.name}".`, value: key.secret! });
      setName("");
      return client.invalidateQueries({ queryKey: KEYS });
    },
  });

  return (
    <section aria-labelledby="keys-title" className="card">
      <h2 id="keys-title">API keys</h2>
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
        <label htmlFor={nameId}>Key name</label>
        <input id={nameId} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} required />
        <label className="check">
          <input type="checkbox" checked={restricted} onChange={(e) => setRestricted(e.target.checked)} />{" "}
          Restricted
        </label>
        {restricted && (
          <fieldset className="scopes">
            <legend>Scopes</legend>
            {API_KEY_SCOPES.map((s) => (
              <label key={s} className="check">
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) =>
                    setScopes((cur) => (e.target.checked ? [...cur, s] : cur.filter((x) => x !== s)))
                  }
                />{" "}
                {s}
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" className="button primary" disabled={create.isPending}>
          Create key
        </button>
      </form>
      {create.error && (
        <p className="error" role="alert">
          {errorText(create.error)}
        </p>
      )}
      {keys.isError && (
        <p className="error" role="alert">
          {errorText(keys.error)}
        </p>
      )}
      <ul className="rows" data-testid="api-keys">
        {keys.data?.data.map((k) => {
          const dead = k.revoked_at !== null || (k.expires_at !== null && k.expires_at * 1000 <= Date.now());
          return (
            <li key={k.id} data-testid="api-key" data-key={k.id} data-revoked={k.revoked_at !== null}>
              <div>
                <strong>{k.name || "(unnamed)"}</strong> <code>{k.redacted}</code>
                <div className="muted small">
                  {k.type === "secret" ? "all scopes" : k.scopes.join(", ")} · created{" "}
                  {formatDateTime(k.created)}
                  {k.revoked_at !== null && ` · revoked ${formatDateTime(k.revoked_at)}`}
                  {k.revoked_at === null &&
                    k.expires_at !== null &&
                    ` · ${dead ? "expired" : "expires"} ${formatDateTime(k.expires_at)}`}
                </div>
              </div>
              {!dead && (
                <div className="actions">
                  <button
                    type="button"
                    className="button"
                    onClick={() => setConfirm({ key: k, action: "roll" })}
                  >
                    Roll…
                  </button>
                  <button
                    type="button"
                    className="button danger"
                    onClick={() => setConfirm({ key: k, action: "revoke" })}
                  >
                    Revoke…
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {confirm && (
        <ConfirmDialog
          title={confirm.action === "roll" ? `Roll "${confirm.key.name}"?` : `Revoke "${confirm.key.name}"?`}
          confirmLabel={confirm.action === "roll" ? "Roll key" : "Revoke key"}
          danger={confirm.action === "revoke"}
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            if (confirm.action === "roll") {
              const rolled = await apiPost<ApiKey>(`/v1/keys/${confirm.key.id}/roll`, { expires_in: 0 });
              setSecret({
                label: `Rolled "${rolled.name}": the old secret stopped working.`,
                value: rolled.secret!,
              });
            } else {
              await apiPost(`/v1/keys/${confirm.key.id}/revoke`);
            }
            await client.invalidateQueries({ queryKey: KEYS });
          }}
        >
          <p>
            {confirm.action === "roll"
              ? "A new secret replaces this one; the old secret stops working now. Update your servers."
              : "Requests with this key will be refused from now on. This cannot be undone."}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/**
 * Security: the merchant's passkeys and registering one. Once one exists, refunds, early releases and key
 * or webhook changes ask for it (the API enforces this; the page just answers the prompt).
 */

import type { Page } from "@pier/client";
import type { Passkey } from "@pier/client/types";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { apiGet, errorText } from "../../../lib/dashboardApi.ts";
import { formatDateTime } from "../../../lib/format.ts";
import { registerPasskey } from "../passkeyCeremonies.ts";
import type { SectionProps } from "../sections.ts";

const PASSKEYS = ["dashboard", "passkeys"];

export default function SecuritySection(_: SectionProps) {
  const client = useQueryClient();
  const nameId = useId();
  const [name, setName] = useState("");
  const passkeys = useQuery({
    queryKey: PASSKEYS,
    queryFn: () => apiGet<Page<Passkey>>("/v1/dashboard/passkeys"),
  });
  const register = useMutation({
    mutationFn: () => registerPasskey(name.trim() || "Passkey"),
    onSuccess: () => {
      setName("");
      return client.invalidateQueries({ queryKey: ["dashboard"] });
    },
  });
  const supported = typeof window.PublicKeyCredential === "function";

  return (
    <section aria-labelledby="security-title">
      <h1 id="security-title">Security</h1>
      <div className="card">
        <h2>Passkeys</h2>
        <p className="muted">
          A passkey (fingerprint, face or device PIN) confirms refunds, early releases and changes to API keys
          and webhooks, so a stolen session alone cannot move money or leak secrets.
        </p>
        {passkeys.isError && (
          <p className="error" role="alert">
            {errorText(passkeys.error)}
          </p>
        )}
        {passkeys.data?.data.length === 0 && <p>No passkey yet.</p>}
        <ul className="rows" data-testid="passkeys">
          {passkeys.data?.data.map((p) => (
            <li key={p.id} data-testid="passkey">
              <strong>{p.name}</strong>
              <span className="muted small">
                {" "}
                added {formatDateTime(p.created)}
                {p.last_used_at && ` · last used ${formatDateTime(p.last_used_at)}`}
              </span>
            </li>
          ))}
        </ul>
        {supported ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              register.mutate();
            }}
          >
            <label htmlFor={nameId}>Passkey name</label>
            <input
              id={nameId}
              value={name}
              maxLength={100}
              placeholder="e.g. Work laptop"
              onChange={(e) => setName(e.target.value)}
            />
            <button
              type="submit"
              className="button primary"
              disabled={register.isPending}
              data-testid="add-passkey"
            >
              {register.isPending ? "Follow your device's prompt…" : "Add a passkey"}
            </button>
          </form>
        ) : (
          <p className="error">This browser cannot use passkeys.</p>
        )}
        {register.isSuccess && <p role="status">Passkey added.</p>}
        {register.error && (
          <p className="error" role="alert">
            {errorText(register.error)}
          </p>
        )}
      </div>
    </section>
  );
}

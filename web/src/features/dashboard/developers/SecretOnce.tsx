/** A secret the API shows only once: displayed with a copy button until dismissed. */
import { useState } from "react";

export function SecretOnce({
  label,
  secret,
  onDismiss,
}: {
  label: string;
  secret: string;
  onDismiss: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="card secret" role="status" data-testid="secret-once">
      <p>
        <strong>{label}</strong> It is shown only now: store it somewhere safe.
      </p>
      <code className="secret-value" data-testid="secret-value">
        {secret}
      </code>
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() =>
            navigator.clipboard?.writeText(secret).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className="link" onClick={onDismiss}>
          I stored it
        </button>
      </div>
    </div>
  );
}

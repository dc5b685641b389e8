-- Merchant dashboard: the owner wallet that signs in (Sign-In with Ethereum), server-side sessions,
-- single-use sign-in nonces, and passkeys (WebAuthn) used as a second factor for sensitive actions.

ALTER TABLE merchants ADD COLUMN owner_address text;
UPDATE merchants SET owner_address = payout_address WHERE owner_address IS NULL;
ALTER TABLE merchants ALTER COLUMN owner_address SET NOT NULL;
-- Addresses are stored checksummed; sign-in looks them up case-insensitively.
CREATE INDEX merchants_owner ON merchants (lower(owner_address), created_at);

CREATE TABLE siwe_nonces (
  nonce text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

CREATE TABLE dashboard_sessions (
  id text PRIMARY KEY,
  -- SHA-256 (hex) of the cookie value; the cookie itself is never stored.
  token_hash text NOT NULL UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id),
  address text NOT NULL,
  livemode boolean NOT NULL,
  -- Sent by the page in X-CSRF-Token on every unsafe request made with the cookie.
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  -- Last successful passkey assertion (step-up); sensitive actions need it to be recent.
  step_up_at timestamptz,
  -- The one outstanding WebAuthn challenge of this session (registration or authentication).
  webauthn_challenge text,
  webauthn_challenge_kind text CHECK (webauthn_challenge_kind IN ('registration', 'authentication')),
  webauthn_challenge_expires_at timestamptz
);
CREATE INDEX dashboard_sessions_merchant ON dashboard_sessions (merchant_id);

CREATE TABLE passkeys (
  -- The credential id (base64url).
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants (id),
  name text NOT NULL DEFAULT '',
  public_key bytea NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  transports text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX passkeys_merchant ON passkeys (merchant_id, created_at);

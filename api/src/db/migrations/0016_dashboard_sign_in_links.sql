-- One-time dashboard sign-in links (test mode only, minted by the operator with the admin key): the
-- local stack's way into the dashboard without a wallet holding the owner key. Only the SHA-256 of the
-- token is stored; a link is consumed once (used_at) and refused after expires_at.
CREATE TABLE dashboard_sign_in_links (
  id text PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  -- The session the link turned into.
  session_id text REFERENCES dashboard_sessions (id)
);
CREATE INDEX dashboard_sign_in_links_merchant ON dashboard_sign_in_links (merchant_id);

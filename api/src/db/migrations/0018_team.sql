-- Merchant teams (team/roles.ts): wallets with a role on a merchant, invitations to join, per-member
-- passkeys, and an append-only audit log of who did what.

CREATE TABLE team_members (
  merchant_id text NOT NULL REFERENCES merchants (id),
  -- Checksummed; looked up case-insensitively like merchants.owner_address.
  address text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'support', 'accountant')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, address)
);
CREATE UNIQUE INDEX team_members_merchant_address ON team_members (merchant_id, lower(address));
CREATE INDEX team_members_address ON team_members (lower(address), created_at);

-- Every existing merchant's sign-in wallet becomes its first owner.
INSERT INTO team_members (merchant_id, address, role, created_at)
SELECT id, owner_address, 'owner', created_at FROM merchants;

CREATE TABLE team_invitations (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id),
  address text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'support', 'accountant')),
  -- The member who invited (address).
  invited_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  revoked_at timestamptz
);
-- At most one open invitation per wallet and merchant: inviting again replaces it.
CREATE UNIQUE INDEX team_invitations_open ON team_invitations (merchant_id, lower(address))
  WHERE accepted_at IS NULL AND revoked_at IS NULL;
CREATE INDEX team_invitations_address ON team_invitations (lower(address)) WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- Passkeys belong to a member, not to the whole merchant: one member's passkey steps up only their sessions.
ALTER TABLE passkeys ADD COLUMN address text;
UPDATE passkeys p SET address = m.owner_address FROM merchants m WHERE m.id = p.merchant_id;
ALTER TABLE passkeys ALTER COLUMN address SET NOT NULL;
DROP INDEX passkeys_merchant;
CREATE INDEX passkeys_member ON passkeys (merchant_id, lower(address), created_at);

CREATE TABLE audit_log (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id),
  -- The mode of the object acted on; null for actions on the team itself (members span both modes).
  livemode boolean,
  actor_type text NOT NULL CHECK (actor_type IN ('member', 'api_key', 'admin')),
  -- Member address, API key id (key_...) or 'admin'.
  actor_id text NOT NULL,
  action text NOT NULL,
  object_id text,
  -- Before/after or the action's relevant details (amounts as strings).
  details jsonb NOT NULL DEFAULT '{}',
  request_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_merchant ON audit_log (merchant_id, seq);
CREATE INDEX audit_log_merchant_action ON audit_log (merchant_id, action, seq);
CREATE INDEX audit_log_merchant_actor ON audit_log (merchant_id, actor_id, seq);

-- Append-only, whatever the caller: no route edits it, and the database refuses to as well.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Pier API schema, version 1. Applied by src/db/migrate.ts inside the API's own schema (search_path).
-- Token amounts are numeric(78,0) (uint256 fits); unix-second timestamps from the chain are bigint.

CREATE TABLE merchants (
  id text PRIMARY KEY,
  name text NOT NULL,
  payout_address text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id),
  livemode boolean NOT NULL,
  name text NOT NULL DEFAULT '',
  type text NOT NULL CHECK (type IN ('secret', 'restricted')),
  scopes text[] NOT NULL DEFAULT '{}',
  -- SHA-256 (hex) of the whole secret; the secret itself is never stored.
  secret_hash text NOT NULL UNIQUE,
  redacted text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  rolled_to text,
  last_used_at timestamptz
);
CREATE INDEX api_keys_merchant ON api_keys (merchant_id, seq DESC);

CREATE TABLE orders (
  id text PRIMARY KEY,
  -- Creation order for pagination (indexed per merchant below; a global unique index would only cost writes).
  seq bigserial NOT NULL,
  merchant_id text NOT NULL REFERENCES merchants (id),
  livemode boolean NOT NULL,
  chain_id integer NOT NULL,
  escrow text NOT NULL,
  onchain_order_id text NOT NULL,
  payment_id text NOT NULL,
  operator text NOT NULL,
  token text NOT NULL,
  payout_address text NOT NULL,
  amount numeric(78, 0) NOT NULL,
  fee numeric(78, 0) NOT NULL,
  fiat_amount text,
  fiat_currency text,
  fx_rate text,
  description text,
  metadata jsonb NOT NULL DEFAULT '{}',
  success_url text,
  cancel_url text,
  deadline bigint NOT NULL,
  escrow_period bigint NOT NULL,
  signature text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  canceled_at timestamptz,
  -- Kept in step with the indexer by orders/syncOrders.ts, in the same transaction as the order's events.
  status text NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'processing', 'escrowed', 'settled', 'expired', 'disputed', 'refunded', 'canceled')),
  payment jsonb,
  amount_refunded numeric(78, 0) NOT NULL DEFAULT 0,
  amount_released numeric(78, 0) NOT NULL DEFAULT 0,
  fee_paid numeric(78, 0) NOT NULL DEFAULT 0,
  sync_fingerprint text,
  status_changed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (chain_id, payment_id)
);
CREATE INDEX orders_merchant ON orders (merchant_id, livemode, seq DESC);
CREATE INDEX orders_merchant_status ON orders (merchant_id, livemode, status, seq DESC);
CREATE INDEX orders_unsettled ON orders (seq) WHERE status NOT IN ('settled', 'refunded');
CREATE INDEX orders_metadata ON orders USING gin (metadata jsonb_path_ops);

CREATE TABLE events (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id),
  livemode boolean NOT NULL,
  type text NOT NULL,
  order_id text,
  chain_id integer,
  onchain_order_id text,
  -- What makes this event unique (the on-chain fact or API action behind it): stored once.
  dedupe_key text NOT NULL UNIQUE,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_merchant ON events (merchant_id, livemode, seq DESC);
CREATE INDEX events_order ON events (order_id, seq);

CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id),
  livemode boolean NOT NULL,
  url text NOT NULL,
  description text,
  enabled_events text[] NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id, livemode, seq DESC);

CREATE TABLE webhook_secrets (
  id bigserial PRIMARY KEY,
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (id),
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Null for the current secret; set on the old one when the secret rotates (grace period).
  expires_at timestamptz
);
CREATE INDEX webhook_secrets_endpoint ON webhook_secrets (endpoint_id);

CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  event_id text NOT NULL REFERENCES events (id),
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (id),
  merchant_id text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- A worker holds the delivery while its attempt is in flight; a crashed worker's lease runs out.
  lease_until timestamptz,
  last_status_code integer,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);

CREATE TABLE webhook_attempts (
  id bigserial PRIMARY KEY,
  delivery_id text NOT NULL REFERENCES webhook_deliveries (id),
  attempt integer NOT NULL,
  started_at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  status_code integer,
  error text,
  response_excerpt text,
  UNIQUE (delivery_id, attempt)
);

CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status_code integer NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE chain_txs (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  chain_id integer NOT NULL,
  signer text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('refund', 'release', 'release_batch', 'resolve', 'hold')),
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'confirmed', 'failed')),
  nonce bigint,
  tx_hash text,
  raw_tx text,
  attempts integer NOT NULL DEFAULT 0,
  block_number bigint,
  error_code text,
  error_message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chain_txs_open ON chain_txs (chain_id, kind) WHERE status IN ('queued', 'sent');
CREATE INDEX chain_txs_signer_nonce ON chain_txs (chain_id, signer, nonce);

CREATE TABLE refunds (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id),
  livemode boolean NOT NULL,
  order_id text NOT NULL REFERENCES orders (id),
  amount numeric(78, 0) NOT NULL CHECK (amount > 0),
  reason text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  chain_tx_id text REFERENCES chain_txs (id),
  tx_hash text,
  failure_code text,
  failure_message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
CREATE INDEX refunds_merchant ON refunds (merchant_id, livemode, seq DESC);
CREATE INDEX refunds_order ON refunds (order_id);

-- Only for the benchmark's baseline route (PIER_BENCH_BASELINE): one plain insert per request.
CREATE TABLE bench_baseline (
  id bigserial PRIMARY KEY,
  payload text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

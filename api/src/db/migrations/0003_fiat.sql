-- Fiat bridge (api/src/fiat, api/src/fx, api/src/bridge): FX quotes, provider webhook events, fiat
-- sessions, captures, escrow fundings, fiat refunds and payouts. The unique keys below make "fund each
-- capture exactly once" and "one funding per order" database facts, whatever retries or crashes do.
-- Documented for the reconciliation report in api/src/fiat/README.md.

CREATE TABLE fx_quote (
  id               TEXT PRIMARY KEY CHECK (id ~ '^fxq_[0-9A-Za-z]{24}$'),
  fixed            TEXT NOT NULL CHECK (fixed IN ('source', 'target')),
  source_currency  CHAR(3) NOT NULL CHECK (source_currency ~ '^[A-Z]{3}$'),
  source_amount    TEXT NOT NULL CHECK (source_amount ~ '^[0-9]+(\.[0-9]+)?$'),
  token_symbol     TEXT NOT NULL,
  token_decimals   SMALLINT NOT NULL CHECK (token_decimals BETWEEN 0 AND 36),
  token_pegged_to  CHAR(3) NOT NULL,
  target_units     NUMERIC(78, 0) NOT NULL CHECK (target_units > 0),
  fee_units        NUMERIC(78, 0) NOT NULL CHECK (fee_units >= 0),
  spread_bps       INTEGER NOT NULL CHECK (spread_bps >= 0 AND spread_bps < 10000),
  mid_rate         TEXT NOT NULL,
  rate             TEXT NOT NULL,
  rate_source      TEXT NOT NULL,
  rate_as_of       TIMESTAMPTZ NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL,
  expires_at       TIMESTAMPTZ NOT NULL CHECK (expires_at > created_at),
  used_by          TEXT,
  used_at          TIMESTAMPTZ,
  CHECK ((used_by IS NULL) = (used_at IS NULL))
);

-- Cleanup of expired, unused quotes (a periodic DELETE ... WHERE expires_at < now() - interval '1 day'
-- AND used_by IS NULL) walks this index.
CREATE INDEX fx_quote_expires_at_unused ON fx_quote (expires_at) WHERE used_by IS NULL;

CREATE TABLE fiat_webhook_event (
  provider     TEXT NOT NULL CHECK (provider IN ('sandbox', 'paypal', 'stripe')),
  event_id     TEXT NOT NULL,
  event_type   TEXT NOT NULL,
  payload      JSONB NOT NULL,
  received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  processed_at TIMESTAMPTZ,
  PRIMARY KEY (provider, event_id)
);
CREATE INDEX fiat_webhook_event_unprocessed ON fiat_webhook_event (received_at)
  WHERE processed_at IS NULL;

-- One customer payment attempt through a wallet provider for one order, at one locked quote.
CREATE TABLE fiat_session (
  id              TEXT PRIMARY KEY,
  seq             BIGSERIAL UNIQUE,
  order_id        TEXT NOT NULL REFERENCES orders (id),
  merchant_id     TEXT NOT NULL REFERENCES merchants (id),
  livemode        BOOLEAN NOT NULL,
  provider        TEXT NOT NULL CHECK (provider IN ('sandbox', 'paypal', 'stripe')),
  -- The provider's session/order/intent id; null only while the provider call is in flight.
  provider_ref    TEXT,
  wallet          TEXT CHECK (wallet IN ('paypal', 'apple_pay', 'google_pay')),
  quote_id        TEXT NOT NULL UNIQUE REFERENCES fx_quote (id),
  -- What the customer pays (decimal string in the currency's minor units) and what the escrow receives.
  fiat_currency   CHAR(3) NOT NULL,
  fiat_amount     TEXT NOT NULL,
  token_amount    NUMERIC(78, 0) NOT NULL CHECK (token_amount > 0),
  approval_url    TEXT,
  client_secret   TEXT,
  status          TEXT NOT NULL DEFAULT 'creating'
    CHECK (status IN ('creating', 'created', 'requires_action', 'approved', 'captured', 'declined',
                      'reversed', 'refunded', 'failed')),
  provider_status TEXT,
  failure_code    TEXT,
  failure_message TEXT,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (provider, provider_ref)
);
CREATE INDEX fiat_session_order ON fiat_session (order_id, seq DESC);
CREATE INDEX fiat_session_merchant ON fiat_session (merchant_id, livemode, seq DESC);

-- Money the provider says it captured (from a verified webhook or our own capture call's answer).
CREATE TABLE fiat_capture (
  provider        TEXT NOT NULL,
  capture_ref     TEXT NOT NULL,
  session_id      TEXT NOT NULL REFERENCES fiat_session (id),
  order_id        TEXT NOT NULL REFERENCES orders (id),
  fiat_currency   CHAR(3) NOT NULL,
  fiat_amount     TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('captured', 'reversed', 'refunded')),
  captured_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  reversed_at     TIMESTAMPTZ,
  PRIMARY KEY (provider, capture_ref)
);
CREATE INDEX fiat_capture_order ON fiat_capture (order_id);

-- The treasury's on-chain payment of an order's escrow for a capture. UNIQUE (provider, capture_ref)
-- and UNIQUE (order_id): a capture funds at most one escrow and an order is funded at most once.
CREATE TABLE fiat_funding (
  id              TEXT PRIMARY KEY,
  provider        TEXT NOT NULL,
  capture_ref     TEXT NOT NULL,
  session_id      TEXT NOT NULL UNIQUE REFERENCES fiat_session (id),
  order_id        TEXT NOT NULL UNIQUE REFERENCES orders (id),
  chain_id        INTEGER NOT NULL,
  onchain_order_id TEXT NOT NULL,
  treasury        TEXT NOT NULL,
  refund_to       TEXT NOT NULL,
  token_amount    NUMERIC(78, 0) NOT NULL CHECK (token_amount > 0),
  chain_tx_id     TEXT REFERENCES chain_txs (id),
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'funded', 'failed')),
  tx_hash         TEXT,
  failure_code    TEXT,
  failure_message TEXT,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  completed_at    TIMESTAMPTZ,
  UNIQUE (provider, capture_ref),
  FOREIGN KEY (provider, capture_ref) REFERENCES fiat_capture (provider, capture_ref)
);

-- Refunds of fiat-funded orders: the on-chain refund (refunds.id) goes back to the bridge, then out
-- through the provider in the customer's currency at the session's quote. One per on-chain refund.
CREATE TABLE fiat_refund (
  id              TEXT PRIMARY KEY,
  refund_id       TEXT NOT NULL UNIQUE REFERENCES refunds (id),
  session_id      TEXT NOT NULL REFERENCES fiat_session (id),
  order_id        TEXT NOT NULL REFERENCES orders (id),
  provider        TEXT NOT NULL,
  capture_ref     TEXT NOT NULL,
  token_amount    NUMERIC(78, 0) NOT NULL CHECK (token_amount > 0),
  fiat_currency   CHAR(3) NOT NULL,
  fiat_amount     TEXT NOT NULL,
  provider_refund_ref TEXT,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  failure_code    TEXT,
  failure_message TEXT,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  completed_at    TIMESTAMPTZ,
  UNIQUE (provider, provider_refund_ref)
);
CREATE INDEX fiat_refund_order ON fiat_refund (order_id);

-- A merchant's withdrawal of settled funds to a fiat wallet, in a chosen currency at a quote.
CREATE TABLE fiat_payout (
  id              TEXT PRIMARY KEY,
  seq             BIGSERIAL UNIQUE,
  merchant_id     TEXT NOT NULL REFERENCES merchants (id),
  livemode        BOOLEAN NOT NULL,
  provider        TEXT NOT NULL,
  recipient       TEXT NOT NULL,
  quote_id        TEXT NOT NULL UNIQUE REFERENCES fx_quote (id),
  token_amount    NUMERIC(78, 0) NOT NULL CHECK (token_amount > 0),
  fiat_currency   CHAR(3) NOT NULL,
  fiat_amount     TEXT NOT NULL,
  provider_payout_ref TEXT,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'failed')),
  failure_code    TEXT,
  failure_message TEXT,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  completed_at    TIMESTAMPTZ,
  UNIQUE (provider, provider_payout_ref)
);
CREATE INDEX fiat_payout_merchant ON fiat_payout (merchant_id, livemode, seq DESC);

-- Declined and reversed payments: kept for the merchant and for reconciliation.
CREATE TABLE fiat_incident (
  id              BIGSERIAL PRIMARY KEY,
  session_id      TEXT NOT NULL REFERENCES fiat_session (id),
  order_id        TEXT NOT NULL REFERENCES orders (id),
  kind            TEXT NOT NULL CHECK (kind IN ('declined', 'reversed', 'funding_failed', 'refund_failed')),
  detail          JSONB NOT NULL DEFAULT '{}',
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (session_id, kind)
);

-- The fiat details shown on the order object (set by the bridge when a capture funds it).
ALTER TABLE orders ADD COLUMN fiat_payment jsonb;

-- The treasury's sends go through the same durable sender as the operator's.
ALTER TABLE chain_txs DROP CONSTRAINT chain_txs_kind_check;
ALTER TABLE chain_txs ADD CONSTRAINT chain_txs_kind_check
  CHECK (kind IN ('refund', 'release', 'release_batch', 'resolve', 'hold', 'fund', 'approve'));

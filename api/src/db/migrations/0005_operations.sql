-- Operations (issue 7): risk rules and reviews, reconciliation findings, payment links, report settings.

-- Per merchant and mode: the rule set (risk/rules.ts validates it; absent keys take the defaults).
CREATE TABLE risk_settings (
  merchant_id text NOT NULL REFERENCES merchants (id),
  livemode boolean NOT NULL,
  rules jsonb NOT NULL DEFAULT '{}',
  reporting_currency text NOT NULL DEFAULT 'USD',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, livemode)
);

-- Every evaluation that was not `allow`: what fired, with its evidence. Flags and holds are reviewable;
-- a hold is open until an operator releases or refunds it (the keeper skips orders with an open hold).
CREATE TABLE risk_reviews (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id),
  livemode boolean NOT NULL,
  order_id text REFERENCES orders (id),
  -- order (at creation), payment (when observed), fiat_session
  stage text NOT NULL CHECK (stage IN ('order', 'payment', 'fiat_session')),
  outcome text NOT NULL CHECK (outcome IN ('flag', 'hold', 'block')),
  payer text,
  findings jsonb NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'released', 'refunded', 'dismissed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  reviewed_at timestamptz,
  reviewed_by text,
  review_note text
);
CREATE UNIQUE INDEX risk_reviews_order_stage ON risk_reviews (order_id, stage) WHERE order_id IS NOT NULL;
CREATE INDEX risk_reviews_merchant ON risk_reviews (merchant_id, livemode, seq DESC);
CREATE INDEX risk_reviews_open_holds ON risk_reviews (order_id) WHERE status = 'open' AND outcome = 'hold';

-- Observed payments by payer: velocity per payer and "first seen" without scanning the indexer.
CREATE TABLE risk_payer_activity (
  order_id text PRIMARY KEY REFERENCES orders (id),
  merchant_id text NOT NULL,
  payer text NOT NULL,
  amount numeric(78, 0) NOT NULL,
  observed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX risk_payer_activity_payer ON risk_payer_activity (payer, observed_at);
CREATE INDEX risk_payer_activity_merchant ON risk_payer_activity (merchant_id, observed_at);

-- Failed fiat attempts (declined, failed) per customer reference, for the repeated-failures rule.
CREATE TABLE risk_fiat_failures (
  id bigserial PRIMARY KEY,
  merchant_id text NOT NULL,
  customer_ref text NOT NULL,
  reason text,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX risk_fiat_failures_customer ON risk_fiat_failures (customer_ref, failed_at);

-- One row per (kind, subject): a mismatch seen again only refreshes last_seen_at.
CREATE TABLE reconciliation_findings (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  merchant_id text REFERENCES merchants (id),
  livemode boolean NOT NULL,
  kind text NOT NULL,
  subject text NOT NULL,
  order_id text,
  details jsonb NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  detected_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolved_by text,
  resolution_note text,
  UNIQUE (kind, subject)
);
CREATE INDEX reconciliation_findings_merchant ON reconciliation_findings (merchant_id, livemode, seq DESC);
CREATE INDEX reconciliation_findings_open ON reconciliation_findings (kind) WHERE status = 'open';

CREATE TABLE reconciliation_runs (
  id text PRIMARY KEY,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  examined integer NOT NULL DEFAULT 0,
  found integer NOT NULL DEFAULT 0,
  new_findings integer NOT NULL DEFAULT 0
);

CREATE TABLE payment_links (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id),
  livemode boolean NOT NULL,
  amount_type text NOT NULL CHECK (amount_type IN ('fixed', 'customer_chosen')),
  amount numeric(78, 0),
  min_amount numeric(78, 0),
  max_amount numeric(78, 0),
  description text,
  metadata jsonb NOT NULL DEFAULT '{}',
  escrow_period bigint,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  deactivated_at timestamptz,
  CHECK ((amount_type = 'fixed' AND amount IS NOT NULL) OR (amount_type = 'customer_chosen' AND amount IS NULL))
);
CREATE INDEX payment_links_merchant ON payment_links (merchant_id, livemode, seq DESC);

CREATE TABLE payment_link_orders (
  order_id text PRIMARY KEY REFERENCES orders (id),
  link_id text NOT NULL REFERENCES payment_links (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_link_orders_link ON payment_link_orders (link_id);

-- webhook.endpoint_failing is stored once per endpoint per failing streak.
CREATE TABLE webhook_endpoint_alerts (
  endpoint_id text PRIMARY KEY REFERENCES webhook_endpoints (id),
  failing_since timestamptz NOT NULL,
  alerted_at timestamptz NOT NULL DEFAULT now()
);

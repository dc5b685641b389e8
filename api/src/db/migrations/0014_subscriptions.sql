-- Plans and subscriptions (issue 19): a merchant's recurring price, and a customer's subscription to it
-- with the spend permission the customer signed at checkout (SpendPermissions.sol). The charging
-- scheduler reads subscriptions by status and current_period_end; it recomputes every charge time from
-- billing_anchor and the plan (subscriptions/billingCycle.ts), so nothing here drifts.

CREATE TABLE plans (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id),
  livemode boolean NOT NULL,
  -- The price in the currency's minor units (999 for 9.99 USD): exact, rendered back as a decimal string.
  amount_minor numeric(78, 0) NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  interval text NOT NULL CHECK (interval IN ('day', 'week', 'month', 'year')),
  interval_count integer NOT NULL CHECK (interval_count >= 1),
  anchor_day smallint CHECK (anchor_day BETWEEN 1 AND 31),
  trial_days integer NOT NULL DEFAULT 0 CHECK (trial_days >= 0),
  -- NULL: until canceled.
  cycles integer CHECK (cycles >= 1),
  description text,
  metadata jsonb NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  archived_at timestamptz,
  CHECK (anchor_day IS NULL OR interval IN ('month', 'year'))
);
CREATE INDEX plans_merchant ON plans (merchant_id, livemode, seq DESC);

CREATE TABLE subscriptions (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants (id),
  livemode boolean NOT NULL,
  plan_id text NOT NULL REFERENCES plans (id),
  status text NOT NULL DEFAULT 'incomplete'
    CHECK (status IN ('incomplete', 'trialing', 'active', 'past_due', 'canceled', 'ended')),
  -- The merchant's own reference to its customer (opaque to Pier).
  customer text,
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The first charge's time (trial end, or authorization): charge k falls at chargeTime(billing_anchor, k).
  billing_anchor timestamptz,
  current_period_start timestamptz,
  current_period_end timestamptz,
  trial_end timestamptz,
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  canceled_at timestamptz,
  ended_at timestamptz,
  cycles_charged integer NOT NULL DEFAULT 0,
  -- Set together when the customer authorizes: the network, token and payer, the SpendPermissions
  -- contract, the permission exactly as signed (every field, numbers as decimal strings), its EIP-712
  -- hash (the contract's permission id) and the payer's signature (EOA, ERC-1271 or ERC-6492 bytes).
  chain_id bigint,
  token text,
  payer text,
  spend_permissions text,
  permission jsonb,
  permission_hash text,
  permission_signature text,
  authorized_at timestamptz,
  -- When the checkout first built the permission to sign: its start (and a trial's end) count from this
  -- time, so a retry within the hour gets the same typed data and authorize can rebuild what was signed.
  permission_quoted_at timestamptz,
  CHECK ((permission IS NULL) = (permission_signature IS NULL)),
  CHECK (status = 'incomplete' OR status = 'canceled' OR permission IS NOT NULL)
);
CREATE INDEX subscriptions_merchant ON subscriptions (merchant_id, livemode, seq DESC);
CREATE INDEX subscriptions_merchant_status ON subscriptions (merchant_id, livemode, status, seq DESC);
CREATE INDEX subscriptions_plan ON subscriptions (plan_id, seq DESC);
CREATE UNIQUE INDEX subscriptions_permission ON subscriptions (chain_id, permission_hash)
  WHERE permission_hash IS NOT NULL;
-- The scheduler's work list: subscriptions whose period ends soonest.
CREATE INDEX subscriptions_due ON subscriptions (current_period_end)
  WHERE status IN ('trialing', 'active', 'past_due');

-- Charging subscriptions (subscriptions/chargeDue.ts): one invoice per subscription and cycle, each with
-- its own order (an ordinary escrowed order, paid by SpendPermissions.charge). UNIQUE (subscription_id,
-- cycle) is what makes a cycle charged at most once across restarts and replicas; on chain, the escrow
-- takes one payment per order id, so even a repeated charge transaction cannot pay an invoice twice.

CREATE TABLE subscription_invoices (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  subscription_id text NOT NULL REFERENCES subscriptions (id),
  merchant_id text NOT NULL REFERENCES merchants (id),
  livemode boolean NOT NULL,
  -- 0 for the first charge, then one per interval.
  cycle integer NOT NULL CHECK (cycle >= 0),
  order_id text NOT NULL UNIQUE REFERENCES orders (id),
  amount numeric(78, 0) NOT NULL,
  -- open: a charge is queued or on its way; failed: the last charge failed, retry at next_attempt_at;
  -- paid; uncollectible: no retry is left (the subscription was canceled for it).
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'failed', 'paid', 'uncollectible')),
  attempts integer NOT NULL DEFAULT 0,
  -- The charge intent in flight (chain_txs), the latest one's once finished.
  chain_tx_id text,
  next_attempt_at timestamptz,
  -- No charge may land at or after this time: it would share an on-chain period with the next cycle.
  retry_until timestamptz NOT NULL,
  last_error_code text,
  last_error_message text,
  due_at timestamptz NOT NULL,
  paid_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, cycle)
);
CREATE INDEX subscription_invoices_subscription ON subscription_invoices (subscription_id, cycle DESC);
CREATE INDEX subscription_invoices_retry ON subscription_invoices (next_attempt_at) WHERE status = 'failed';

-- When the next cycle is charged; set at authorization (the first charge) and advanced with each cycle.
ALTER TABLE subscriptions
  ADD COLUMN next_charge_at timestamptz,
  ADD COLUMN end_reason text CHECK (end_reason IN ('cycles_completed', 'permission_revoked', 'permission_expired', 'payment_failed'));
CREATE INDEX subscriptions_next_charge ON subscriptions (chain_id, next_charge_at)
  WHERE status IN ('trialing', 'active', 'past_due');

-- The operator's charge of a spend permission is a transaction intent like any other.
ALTER TABLE chain_txs DROP CONSTRAINT chain_txs_kind_check;
ALTER TABLE chain_txs ADD CONSTRAINT chain_txs_kind_check
  CHECK (kind IN ('refund', 'release', 'release_batch', 'resolve', 'hold', 'fund', 'approve', 'sweep', 'noop',
    'withdraw', 'relay', 'subscription_charge'));

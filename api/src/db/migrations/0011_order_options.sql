-- Many networks and tokens per order (orders/orderOptions.ts). `accepts` restricts where an order may be
-- paid ([{chain_id, token}]); NULL accepts every network and token the API serves. The order row holds the
-- option the customer selected last; order_terms keeps every option's signed terms once the customer has
-- switched, so a payment made with terms of an option switched away from is still recognised.
ALTER TABLE orders ADD COLUMN accepts jsonb;

CREATE TABLE order_terms (
  order_id    text NOT NULL REFERENCES orders (id),
  chain_id    integer NOT NULL,
  token       text NOT NULL,          -- lower case
  escrow      text NOT NULL,
  operator    text NOT NULL,
  payment_id  text NOT NULL,
  amount      numeric(78, 0) NOT NULL CHECK (amount > 0),
  fee         numeric(78, 0) NOT NULL CHECK (fee >= 0),
  fx_rate     text,
  signature   text NOT NULL,
  -- Insertion order: the first row of an order is the option it was created with (both rows of the first
  -- switch are stored in one transaction, so created_at cannot tell them apart).
  seq         bigserial NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, chain_id, token)
);
CREATE INDEX order_terms_payment ON order_terms (chain_id, payment_id);

-- A second payment of one order (the customer paid on two networks, or twice): refunded in full by the
-- operator on its own network, never counted as the order's, and reported (order.duplicate_payment*).
CREATE TABLE duplicate_payments (
  id           text PRIMARY KEY,
  order_id     text NOT NULL REFERENCES orders (id),
  merchant_id  text NOT NULL,
  livemode     boolean NOT NULL,
  chain_id     integer NOT NULL,
  payment_id   text NOT NULL,
  token        text NOT NULL,
  amount       numeric(78, 0) NOT NULL,
  payer        text NOT NULL,
  paid_tx_hash text NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'refunded', 'failed')),
  chain_tx_id  text,
  refund_tx_hash text,
  failure_message text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  UNIQUE (chain_id, payment_id)
);
CREATE INDEX duplicate_payments_order ON duplicate_payments (order_id);

-- Relayed payments (relay/): the API's relayer sends a customer's signed ERC-3009 authorization to the escrow
-- and pays the gas, so the customer needs no native coin. One row per relay; its chain transaction is an
-- intent like any other (kind 'relay'), and what the gas cost lands on the row and on chain_txs once mined.
ALTER TABLE chain_txs DROP CONSTRAINT chain_txs_kind_check;
ALTER TABLE chain_txs ADD CONSTRAINT chain_txs_kind_check
  CHECK (kind IN ('refund', 'release', 'release_batch', 'resolve', 'hold', 'fund', 'approve', 'sweep', 'noop', 'withdraw', 'relay'));
-- Gas of the mined attempt (any kind): gas used and what it cost in wei (gas used x effective gas price).
ALTER TABLE chain_txs ADD COLUMN gas_used numeric(78, 0);
ALTER TABLE chain_txs ADD COLUMN fee_wei numeric(78, 0);

-- What the relayer paid for an order's relayed payment (wei of the network's coin), for the order and reports.
ALTER TABLE orders ADD COLUMN relay_fee_wei numeric(78, 0);

CREATE TABLE relays (
  id              text PRIMARY KEY,
  order_id        text NOT NULL REFERENCES orders (id),
  merchant_id     text NOT NULL REFERENCES merchants (id),
  livemode        boolean NOT NULL,
  chain_id        integer NOT NULL,
  payer           text NOT NULL,          -- lower case
  chain_tx_id     text NOT NULL REFERENCES chain_txs (id),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  -- What the relay is expected to cost, counted against the merchant's daily budget until it is mined.
  estimated_fee_wei numeric(78, 0) NOT NULL,
  gas_used        numeric(78, 0),
  fee_wei         numeric(78, 0),
  tx_hash         text,
  failure_code    text,
  failure_message text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
-- One relay in flight per order: a second request for it gets the first.
CREATE UNIQUE INDEX relays_one_pending ON relays (order_id) WHERE status = 'pending';
CREATE INDEX relays_merchant_created ON relays (merchant_id, created_at);
CREATE INDEX relays_order ON relays (order_id);

-- FX quotes (api/src/fx). For the lead to add to api/src/db/migrations; pgQuoteStore.ts reads and
-- writes it. Amounts: source_amount is the decimal string in the source currency's minor units
-- (canonical, e.g. '12.30', '1235' for JPY); token amounts are integer token units in NUMERIC(78,0).
CREATE TABLE IF NOT EXISTS fx_quote (
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
CREATE INDEX IF NOT EXISTS fx_quote_expires_at_unused ON fx_quote (expires_at) WHERE used_by IS NULL;

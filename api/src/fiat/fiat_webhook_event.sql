-- Provider webhook events seen by the fiat bridge (api/src/fiat/receiveWebhook.ts), for the lead to
-- add to api/src/db/migrations. One row per provider event id: the INSERT that wins is the one that
-- processes the event; a re-delivery conflicts and is acknowledged without processing.
--   INSERT INTO fiat_webhook_event (provider, event_id, event_type, payload)
--   VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING received_at
CREATE TABLE IF NOT EXISTS fiat_webhook_event (
  provider     TEXT NOT NULL CHECK (provider IN ('sandbox', 'paypal', 'stripe')),
  event_id     TEXT NOT NULL,
  event_type   TEXT NOT NULL,
  payload      JSONB NOT NULL,
  received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  processed_at TIMESTAMPTZ,
  PRIMARY KEY (provider, event_id)
);
CREATE INDEX IF NOT EXISTS fiat_webhook_event_unprocessed ON fiat_webhook_event (received_at)
  WHERE processed_at IS NULL;

-- Fiat bridge (issue 6): tokens an escrow refunded to the bridge go back to the treasury once the fiat
-- refund is paid out through the provider (bridge/sweep.ts): one `sweep` chain transaction per fiat
-- refund, sent by the bridge's key.
ALTER TABLE fiat_refund ADD COLUMN sweep_chain_tx_id TEXT UNIQUE REFERENCES chain_txs (id);

ALTER TABLE chain_txs DROP CONSTRAINT chain_txs_kind_check;
ALTER TABLE chain_txs ADD CONSTRAINT chain_txs_kind_check
  CHECK (kind IN ('refund', 'release', 'release_batch', 'resolve', 'hold', 'fund', 'approve', 'sweep'));

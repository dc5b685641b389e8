-- The keeper pays out credits (payouts a token refused, held by the escrow) once the token allows:
-- escrow.withdraw(token, account), sent by the keeper key as a chain transaction of kind 'withdraw'.
ALTER TABLE chain_txs DROP CONSTRAINT chain_txs_kind_check;
ALTER TABLE chain_txs ADD CONSTRAINT chain_txs_kind_check
  CHECK (kind IN ('refund', 'release', 'release_batch', 'resolve', 'hold', 'fund', 'approve', 'sweep', 'noop', 'withdraw'));

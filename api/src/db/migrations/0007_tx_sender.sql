-- The transaction sender (issue 14, item 3; api/src/chain/README.md): one driver per (chain, signer)
-- with several transactions in flight, every signed attempt kept, nonces tracked per chain identity
-- (genesis hash), and intents of a chain that was replaced under the same id abandoned visibly.

-- `abandoned`: the chain the intent was meant for is gone (a restarted dev chain, or an RPC that now
-- serves another chain with the same id); it was never mined there and is never sent anywhere else.
ALTER TABLE chain_txs DROP CONSTRAINT chain_txs_status_check;
ALTER TABLE chain_txs ADD CONSTRAINT chain_txs_status_check
  CHECK (status IN ('queued', 'sent', 'confirmed', 'failed', 'abandoned'));
-- `noop`: a zero-value transaction to the signer itself that fills a nonce nothing else will use.
ALTER TABLE chain_txs DROP CONSTRAINT chain_txs_kind_check;
ALTER TABLE chain_txs ADD CONSTRAINT chain_txs_kind_check
  CHECK (kind IN ('refund', 'release', 'release_batch', 'resolve', 'hold', 'fund', 'approve', 'sweep', 'noop'));

ALTER TABLE chain_txs
  -- The chain (genesis block hash) the intent was created for; null only for rows of older versions,
  -- which the sender adopts or abandons on first sight (txSender.ts).
  ADD COLUMN genesis_hash text,
  -- When the intent got its nonce and was first broadcast: the age of an unmined transaction.
  ADD COLUMN first_sent_at timestamptz,
  -- Set when the nonce must be filled with a no-op instead (the node refused the transaction for
  -- good): the intent fails with this code once the no-op is mined, or succeeds if the original wins.
  ADD COLUMN cancel_code text,
  ADD COLUMN cancel_message text,
  -- Why the intent is not moving right now (fee cap reached, node refuses it, no contract on this
  -- chain, RPC errors): shown by /readyz and `pier status`; cleared when it moves again.
  ADD COLUMN stuck_reason text;

-- One intent per nonce of a signer on a chain: two drivers (a lost lock) can never both use a nonce.
CREATE UNIQUE INDEX chain_txs_one_per_nonce ON chain_txs (chain_id, signer, genesis_hash, nonce)
  WHERE nonce IS NOT NULL AND status <> 'abandoned';
CREATE INDEX chain_txs_signer_open ON chain_txs (chain_id, signer, seq) WHERE status IN ('queued', 'sent');

-- Every signed transaction of an intent: the original, each fee bump and a no-op cancel, all at the
-- intent's nonce. A receipt for any of them is the intent's outcome, so nothing is done twice.
CREATE TABLE chain_tx_attempts (
  id bigserial PRIMARY KEY,
  chain_tx_id text NOT NULL REFERENCES chain_txs (id),
  chain_id integer NOT NULL,
  signer text NOT NULL,
  genesis_hash text,
  nonce bigint NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('original', 'fee_bump', 'cancel')),
  tx_hash text NOT NULL UNIQUE,
  raw_tx text NOT NULL,
  gas numeric(78, 0) NOT NULL,
  max_fee_per_gas numeric(78, 0) NOT NULL,
  max_priority_fee_per_gas numeric(78, 0) NOT NULL,
  -- The chain head when it was signed: the fee-bump clock (PIER_TX_BUMP_AFTER_BLOCKS) starts here.
  signed_at_block bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  broadcasts integer NOT NULL DEFAULT 0,
  last_broadcast_at timestamptz,
  -- The node refused it for good (e.g. a replacement under its price-bump rule): never re-broadcast.
  rejected boolean NOT NULL DEFAULT false,
  last_error text,
  mined_block bigint
);
CREATE INDEX chain_tx_attempts_tx ON chain_tx_attempts (chain_tx_id, id);

-- What the database knows of each chain id: the genesis hash last observed at its RPC. New intents
-- are stamped with it (chainTxs.ts); the sender updates it when the node answers with another one.
CREATE TABLE chain_identity (
  chain_id integer PRIMARY KEY,
  genesis_hash text NOT NULL,
  observed_at timestamptz NOT NULL DEFAULT now()
);

-- Nonce state per signer and chain, valid for one genesis only: a new genesis resets it.
CREATE TABLE chain_signer_state (
  chain_id integer NOT NULL,
  signer text NOT NULL,
  genesis_hash text NOT NULL,
  -- The next nonce the sender will assign (never below the node's pending nonce, see nonces.ts).
  next_nonce bigint NOT NULL,
  -- The process driving this signer (it holds the advisory lock) and when it last worked.
  driver text,
  driver_seen_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chain_id, signer)
);

-- Each time a signer's sender found its chain replaced (new genesis, same chain id), and what it
-- abandoned: the operator's record, shown by /readyz and `pier status` for a day.
CREATE TABLE chain_resets (
  id bigserial PRIMARY KEY,
  chain_id integer NOT NULL,
  signer text NOT NULL,
  previous_genesis text,
  genesis_hash text NOT NULL,
  abandoned integer NOT NULL DEFAULT 0,
  detected_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chain_resets_recent ON chain_resets (chain_id, signer, detected_at DESC);

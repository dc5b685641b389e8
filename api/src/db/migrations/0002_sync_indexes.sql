-- The syncer looks only where change can come from (orders/syncOrders.ts): payments the indexer touched
-- recently, paid orders whose payment may have been reorged away, orders waiting on depth, and open
-- orders past their deadline. These partial indexes keep each of those lookups small.
DROP INDEX IF EXISTS orders_unsettled;
CREATE INDEX orders_paid_unsettled ON orders (chain_id) WHERE status IN ('processing', 'escrowed', 'disputed');
CREATE INDEX orders_open_deadline ON orders (chain_id, deadline) WHERE status = 'open';

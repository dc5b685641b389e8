-- Each order-sync pass first asks whether any order of its chain waits on confirmation depth
-- (orders/syncOrders.ts, readSyncState). No index led with that question: Postgres answered it through
-- orders_merchant_status, reading a share of every merchant's orders on every block (1,178 buffers for
-- 200,000 orders of 2,000 merchants). This index holds only the few orders waiting: 2 buffers.
CREATE INDEX orders_processing ON orders (chain_id) WHERE status = 'processing';

-- Each order-sync pass first asks whether any order of its chain waits on confirmation depth
-- (orders/syncOrders.ts, readSyncState). orders_paid_unsettled also holds every escrowed and disputed
-- order, so that question scanned all of them on every block; this index holds only the few waiting.
CREATE INDEX orders_processing ON orders (chain_id) WHERE status = 'processing';

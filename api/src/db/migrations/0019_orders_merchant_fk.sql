-- Order creation without the foreign key from orders to merchants. Postgres checks such a key by locking
-- the merchant's row (FOR KEY SHARE) in every inserting transaction: with many orders created at once
-- for one merchant, each insert wrote a lock on that one hot row (a new MultiXact when others held it),
-- which cost 8-15% of POST /v1/orders throughput (scripts/benchmarks/api.ts). The reference still
-- holds without it: merchants are never deleted, and an order's merchant_id is always the authenticated
-- key's or session's merchant, whose api_keys / team_members row references merchants.
ALTER TABLE orders DROP CONSTRAINT orders_merchant_id_fkey;

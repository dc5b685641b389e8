-- A cursor column for the operator's merchant list (GET /v1/admin/merchants), like every other list:
-- existing merchants are numbered in creation order.
ALTER TABLE merchants ADD COLUMN seq bigint;
UPDATE merchants m SET seq = o.n FROM (
  SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM merchants
) o WHERE o.id = m.id;
CREATE SEQUENCE merchants_seq OWNED BY merchants.seq;
SELECT setval('merchants_seq', COALESCE((SELECT max(seq) FROM merchants), 0) + 1, false);
ALTER TABLE merchants ALTER COLUMN seq SET DEFAULT nextval('merchants_seq'), ALTER COLUMN seq SET NOT NULL;
CREATE UNIQUE INDEX merchants_seq_key ON merchants (seq);

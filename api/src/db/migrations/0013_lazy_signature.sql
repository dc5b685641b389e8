-- The operator signs an order's terms when they are first needed (orders/signedOrder.ts: the checkout is
-- opened, a payment relayed or funded from fiat), not at creation: creating an order is one insert.
ALTER TABLE orders ALTER COLUMN signature DROP NOT NULL;

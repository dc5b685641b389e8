/**
 * The shop as a Fastify app: a catalog, a checkout that creates a Pier order for the cart, a purchase
 * page, and the webhook route that verifies `Pier-Signature` on the raw body and marks the purchase
 * paid on `order.escrowed` (the funds are in escrow: fulfil now).
 */
import { type Pier, PierError } from "@pier/client";
import { constructEvent, SignatureVerificationError, type WebhookEvent } from "@pier/client/webhooks";
import Fastify, { type FastifyInstance } from "fastify";
import { CATALOG, findProduct } from "./catalog.ts";
import { type Purchase, type PurchaseStatus, Purchases } from "./purchases.ts";

export interface ShopOptions {
  pier: Pier;
  /** The endpoint's signing secret(s): several while a secret rotates. */
  webhookSecret: string | string[];
  logger?: boolean;
}

export function buildShop({ pier, webhookSecret, logger = false }: ShopOptions): FastifyInstance {
  const app = Fastify({ logger });
  const purchases = new Purchases();

  app.get("/products", async () => CATALOG);

  app.post<{ Body: { items?: { sku: string; quantity: number }[] } }>("/checkout", async (req, reply) => {
    const items = req.body?.items ?? [];
    if (!Array.isArray(items) || items.length === 0)
      return reply.code(400).send({ error: "the cart is empty" });
    let total = 0n;
    for (const { sku, quantity } of items) {
      const product = findProduct(sku);
      if (!product || !Number.isInteger(quantity) || quantity < 1 || quantity > 100)
        return reply.code(400).send({ error: `bad cart line: ${JSON.stringify({ sku, quantity })}` });
      total += BigInt(product.price) * BigInt(quantity);
    }
    const id = purchases.newId();
    try {
      const order = await pier.orders.create(
        {
          amount: total.toString(),
          description: items.map((i) => `${i.quantity} x ${findProduct(i.sku)!.name}`).join(", "),
          metadata: { purchase_id: id },
        },
        // A retried checkout (say, after a timeout) must not create a second order.
        { idempotencyKey: `checkout-${id}` },
      );
      const purchase = purchases.add({
        id,
        items,
        amount: order.amount,
        orderId: order.id,
        checkoutUrl: order.checkout_url,
        status: "awaiting_payment",
      });
      return reply.code(201).send(purchase);
    } catch (error) {
      req.log.error({ err: error }, "creating the Pier order failed");
      const requestId = error instanceof PierError ? error.requestId : undefined;
      return reply.code(502).send({ error: "payment provider unavailable", request_id: requestId });
    }
  });

  app.get<{ Params: { id: string } }>("/purchases/:id", async (req, reply) => {
    const purchase = purchases.get(req.params.id);
    return purchase ?? reply.code(404).send({ error: "no such purchase" });
  });

  // The webhook route gets the body as a Buffer: the signature covers the exact bytes Pier sent.
  app.register(async (hooks) => {
    hooks.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) =>
      done(null, body),
    );
    hooks.post("/webhooks", async (req, reply) => {
      let event: WebhookEvent;
      try {
        event = constructEvent(req.body as Buffer, req.headers["pier-signature"], webhookSecret);
      } catch (error) {
        if (error instanceof SignatureVerificationError) {
          req.log.warn({ reason: error.code }, "webhook signature rejected");
          return reply.code(400).send({ error: error.code });
        }
        throw error;
      }
      if (purchases.firstTime(event.id)) handle(event, purchases);
      return { received: true };
    });
  });

  return app;
}

const NEXT_STATUS: Partial<Record<WebhookEvent["type"], PurchaseStatus>> = {
  "order.escrowed": "paid",
  "order.settled": "settled",
  "order.refunded": "refunded",
  "order.canceled": "canceled",
  "order.expired": "canceled",
};

function handle(event: WebhookEvent, purchases: Purchases): void {
  if (!event.type.startsWith("order.")) return;
  const order = event.data.object as { id: string; metadata?: Record<string, string> };
  const purchase: Purchase | undefined =
    purchases.get(order.metadata?.purchase_id ?? "") ?? purchases.byOrder(order.id);
  const next = NEXT_STATUS[event.type];
  if (!purchase || !next) return;
  // Events can arrive out of order after retries: never move a paid purchase back.
  if (next === "canceled" && purchase.status !== "awaiting_payment") return;
  purchase.status = next;
  if (next === "paid") purchase.paidAt = event.created;
}

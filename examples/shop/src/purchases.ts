/**
 * The shop's own records: one purchase per checkout, linked to its Pier order. In memory to keep the
 * example short; a real shop keeps these (and the ids of handled events) in its database.
 */
import { randomUUID } from "node:crypto";

export type PurchaseStatus = "awaiting_payment" | "paid" | "settled" | "refunded" | "canceled";

export interface Purchase {
  id: string;
  items: { sku: string; quantity: number }[];
  amount: string;
  orderId: string;
  checkoutUrl: string;
  status: PurchaseStatus;
  paidAt?: number;
}

export class Purchases {
  readonly #byId = new Map<string, Purchase>();
  readonly #handledEvents = new Set<string>();

  newId(): string {
    return `pur_${randomUUID()}`;
  }

  add(purchase: Purchase): Purchase {
    this.#byId.set(purchase.id, purchase);
    return purchase;
  }

  get(id: string): Purchase | undefined {
    return this.#byId.get(id);
  }

  byOrder(orderId: string): Purchase | undefined {
    for (const p of this.#byId.values()) if (p.orderId === orderId) return p;
    return undefined;
  }

  /** True the first time an event id is seen: Pier delivers at least once, so duplicates are normal. */
  firstTime(eventId: string): boolean {
    if (this.#handledEvents.has(eventId)) return false;
    this.#handledEvents.add(eventId);
    return true;
  }
}

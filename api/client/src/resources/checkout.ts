/** GET /v1/checkout/:id: an order's public checkout data (no key is sent). */
import { call, seg } from "../call.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { Checkout as CheckoutObject } from "../types.ts";

export class CheckoutResource {
  constructor(private readonly t: Transport) {}

  /** Amount, token, escrow, signed terms and, once paid, the escrow's Payment record. */
  retrieve(orderId: string, opts?: RequestOptions) {
    return call<CheckoutObject>(
      this.t,
      { method: "GET", path: `/v1/checkout/${seg(orderId)}` },
      { apiKey: null, ...opts },
    );
  }
}

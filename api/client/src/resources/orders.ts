/** /v1/orders: create, retrieve, list (paginated), cancel, release early. */
import { call, seg } from "../call.ts";
import { type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { CreateOrderParams, ListOrdersParams, Order } from "../types.ts";

export class Orders {
  constructor(private readonly t: Transport) {}

  /** Signs the payment terms; the order's `checkout_url` is where the customer pays. */
  create(params: CreateOrderParams, opts?: RequestOptions) {
    return call<Order>(this.t, { method: "POST", path: "/v1/orders", body: params }, opts);
  }

  retrieve(id: string, opts?: RequestOptions) {
    return call<Order>(this.t, { method: "GET", path: `/v1/orders/${seg(id)}` }, opts);
  }

  /** Newest first; `for await` walks every page. */
  list(params: ListOrdersParams = {}, opts?: RequestOptions): PagePromise<Order, ListOrdersParams> {
    return new PagePromise(
      (query) => call<Page<Order>>(this.t, { method: "GET", path: "/v1/orders", query }, opts),
      params,
    );
  }

  /** Cancels an open order (signed terms stay valid on chain until their deadline). */
  cancel(id: string, opts?: RequestOptions) {
    return call<Order>(this.t, { method: "POST", path: `/v1/orders/${seg(id)}/cancel` }, opts);
  }

  /** Queues an early release of an escrowed order; `order.settled` follows once mined. */
  release(id: string, opts?: RequestOptions) {
    return call<Order>(this.t, { method: "POST", path: `/v1/orders/${seg(id)}/release` }, opts);
  }
}

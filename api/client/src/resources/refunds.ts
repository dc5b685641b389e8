/** /v1/refunds: refund an escrowed order (fully or partly), retrieve, list. */
import { call, seg } from "../call.ts";
import { type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { CreateRefundParams, ListRefundsParams, Refund } from "../types.ts";

export class Refunds {
  constructor(private readonly t: Transport) {}

  /** Accepted as `pending`; `refund.succeeded` or `refund.failed` follows. No `amount`: all that remains. */
  create(params: CreateRefundParams, opts?: RequestOptions) {
    return call<Refund>(this.t, { method: "POST", path: "/v1/refunds", body: params }, opts);
  }

  retrieve(id: string, opts?: RequestOptions) {
    return call<Refund>(this.t, { method: "GET", path: `/v1/refunds/${seg(id)}` }, opts);
  }

  list(params: ListRefundsParams = {}, opts?: RequestOptions): PagePromise<Refund, ListRefundsParams> {
    return new PagePromise(
      (query) => call<Page<Refund>>(this.t, { method: "GET", path: "/v1/refunds", query }, opts),
      params,
    );
  }
}

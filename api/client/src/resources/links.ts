/** /v1/links: reusable payment links (each payer gets an order of their own). */
import { call, seg } from "../call.ts";
import { type ListParams, type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { CreatePaymentLinkParams, PaymentLink, ResponseOf } from "../types.ts";

export class PaymentLinks {
  constructor(private readonly t: Transport) {}

  create(params: CreatePaymentLinkParams, opts?: RequestOptions) {
    return call<ResponseOf<"/v1/links", "post">>(
      this.t,
      { method: "POST", path: "/v1/links", body: params },
      opts,
    );
  }

  /** With its analytics. */
  retrieve(id: string, opts?: RequestOptions) {
    return call<PaymentLink>(this.t, { method: "GET", path: `/v1/links/${seg(id)}` }, opts);
  }

  list(
    params: ListParams = {},
    opts?: RequestOptions,
  ): PagePromise<ResponseOf<"/v1/links", "get">["data"][number]> {
    return new PagePromise(
      (query) =>
        call<Page<ResponseOf<"/v1/links", "get">["data"][number]>>(
          this.t,
          { method: "GET", path: "/v1/links", query: { ...query } },
          opts,
        ),
      params,
    );
  }

  deactivate(id: string, opts?: RequestOptions) {
    return call<ResponseOf<"/v1/links/{id}/deactivate", "post">>(
      this.t,
      { method: "POST", path: `/v1/links/${seg(id)}/deactivate` },
      opts,
    );
  }
}

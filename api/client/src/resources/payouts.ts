/** /v1/payouts: withdraw settled funds to a fiat wallet. */
import { call, seg } from "../call.ts";
import { type ListParams, type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { CreatePayoutParams, Payout, ResponseOf } from "../types.ts";

export class Payouts {
  constructor(private readonly t: Transport) {}

  create(params: CreatePayoutParams, opts?: RequestOptions) {
    return call<ResponseOf<"/v1/payouts", "post">>(
      this.t,
      { method: "POST", path: "/v1/payouts", body: params },
      opts,
    );
  }

  retrieve(id: string, opts?: RequestOptions) {
    return call<Payout>(this.t, { method: "GET", path: `/v1/payouts/${seg(id)}` }, opts);
  }

  list(params: ListParams = {}, opts?: RequestOptions): PagePromise<Payout> {
    return new PagePromise(
      (query) =>
        call<Page<Payout>>(this.t, { method: "GET", path: "/v1/payouts", query: { ...query } }, opts),
      params,
    );
  }
}

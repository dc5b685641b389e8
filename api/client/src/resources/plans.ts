/** /v1/plans: recurring prices subscriptions are made from. */
import { call, seg } from "../call.ts";
import { type ListParams, type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { CreatePlanParams, Plan } from "../types.ts";

export class Plans {
  constructor(private readonly t: Transport) {}

  create(params: CreatePlanParams, opts?: RequestOptions) {
    return call<Plan>(this.t, { method: "POST", path: "/v1/plans", body: params }, opts);
  }

  retrieve(id: string, opts?: RequestOptions) {
    return call<Plan>(this.t, { method: "GET", path: `/v1/plans/${seg(id)}` }, opts);
  }

  list(params: ListParams = {}, opts?: RequestOptions): PagePromise<Plan> {
    return new PagePromise(
      (query) => call<Page<Plan>>(this.t, { method: "GET", path: "/v1/plans", query: { ...query } }, opts),
      params,
    );
  }

  /** No new subscriptions to the plan; existing ones continue. */
  archive(id: string, opts?: RequestOptions) {
    return call<Plan>(this.t, { method: "POST", path: `/v1/plans/${seg(id)}/archive` }, opts);
  }
}

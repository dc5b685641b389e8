/** /v1/reconciliation: findings where fiat captures, on-chain payments and orders disagree. */
import { call, seg } from "../call.ts";
import { type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { BodyOf, ListFindingsParams, ReconciliationFinding, ResponseOf } from "../types.ts";

export class Reconciliation {
  readonly findings: {
    list: (
      params?: ListFindingsParams,
      opts?: RequestOptions,
    ) => PagePromise<ReconciliationFinding, ListFindingsParams>;
    resolve: (
      id: string,
      params: BodyOf<"/v1/reconciliation/findings/{id}/resolve", "post">,
      opts?: RequestOptions,
    ) => ReturnType<typeof call<ResponseOf<"/v1/reconciliation/findings/{id}/resolve", "post">>>;
  };
  /** Runs reconciliation now (operator: construct the client with PIER_ADMIN_KEY). */
  readonly runs: {
    create: (opts?: RequestOptions) => ReturnType<typeof call<ResponseOf<"/v1/reconciliation/runs", "post">>>;
  };

  constructor(t: Transport) {
    this.findings = {
      list: (params = {}, opts) =>
        new PagePromise(
          (query) =>
            call<Page<ReconciliationFinding>>(
              t,
              { method: "GET", path: "/v1/reconciliation/findings", query },
              opts,
            ),
          params,
        ),
      resolve: (id, params, opts) =>
        call(
          t,
          { method: "POST", path: `/v1/reconciliation/findings/${seg(id)}/resolve`, body: params },
          opts,
        ),
    };
    this.runs = { create: (opts) => call(t, { method: "POST", path: "/v1/reconciliation/runs" }, opts) };
  }
}

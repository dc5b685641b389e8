/** /v1/invoices: every subscription charge, e.g. the failed ones waiting for a retry. */
import { call } from "../call.ts";
import { type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { Invoice, ListInvoicesParams } from "../types.ts";

export class Invoices {
  constructor(private readonly t: Transport) {}

  list(params: ListInvoicesParams = {}, opts?: RequestOptions): PagePromise<Invoice, ListInvoicesParams> {
    return new PagePromise(
      (query) => call<Page<Invoice>>(this.t, { method: "GET", path: "/v1/invoices", query }, opts),
      params,
    );
  }
}

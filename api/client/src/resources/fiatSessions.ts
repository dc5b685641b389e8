/** GET /v1/fiat_sessions: fiat wallet payments of your orders (declined and reversed ones with their incidents). */
import { call } from "../call.ts";
import { type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { FiatSession, ListFiatSessionsParams } from "../types.ts";

export class FiatSessions {
  constructor(private readonly t: Transport) {}

  list(
    params: ListFiatSessionsParams = {},
    opts?: RequestOptions,
  ): PagePromise<FiatSession, ListFiatSessionsParams> {
    return new PagePromise(
      (query) => call<Page<FiatSession>>(this.t, { method: "GET", path: "/v1/fiat_sessions", query }, opts),
      params,
    );
  }
}

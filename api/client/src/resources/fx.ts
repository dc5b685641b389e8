/** /v1/fx/quotes: a locked rate from a customer's currency to the settlement token, with its expiry. */
import { call, seg } from "../call.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { CreateFxQuoteParams, FxQuote, ResponseOf } from "../types.ts";

export class FxQuotes {
  constructor(private readonly t: Transport) {}

  create(params: CreateFxQuoteParams, opts?: RequestOptions) {
    return call<ResponseOf<"/v1/fx/quotes", "post">>(
      this.t,
      { method: "POST", path: "/v1/fx/quotes", body: params },
      opts,
    );
  }

  retrieve(id: string, opts?: RequestOptions) {
    return call<FxQuote>(this.t, { method: "GET", path: `/v1/fx/quotes/${seg(id)}` }, opts);
  }
}

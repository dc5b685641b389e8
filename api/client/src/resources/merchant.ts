/** GET /v1/merchant: the merchant account of the key. */
import { call } from "../call.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { Merchant as MerchantObject } from "../types.ts";

export class MerchantResource {
  constructor(private readonly t: Transport) {}

  retrieve(opts?: RequestOptions) {
    return call<MerchantObject>(this.t, { method: "GET", path: "/v1/merchant" }, opts);
  }
}

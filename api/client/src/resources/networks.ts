/** /v1/networks: where orders can be paid (each network's chain id, escrow, depth and accepted tokens). */
import { call } from "../call.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { NetworkList } from "../types.ts";

export class Networks {
  constructor(private readonly t: Transport) {}

  /** Every network served, the default first; pass `network` and `token` to `orders.create` to choose. */
  list(opts?: RequestOptions) {
    return call<NetworkList>(this.t, { method: "GET", path: "/v1/networks" }, { apiKey: null, ...opts });
  }
}

/**
 * /v1/admin: operator routes, authenticated with PIER_ADMIN_KEY rather than a merchant key. Construct a
 * client with the admin key (`new Pier(adminKey)`) or pass `{ apiKey: adminKey }` per call.
 */
import { call, seg, type WithResponse } from "../call.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { CreatedMerchant, CreateMerchantParams, HoldParams, Order, ResolveParams } from "../types.ts";

export class Admin {
  readonly merchants: {
    create: (params: CreateMerchantParams, opts?: RequestOptions) => Promise<CreatedMerchant>;
  };
  readonly orders: {
    resolve: (id: string, params: ResolveParams, opts?: RequestOptions) => Promise<WithResponse<Order>>;
    hold: (id: string, params: HoldParams, opts?: RequestOptions) => Promise<WithResponse<Order>>;
  };

  constructor(t: Transport) {
    this.merchants = {
      /** A merchant and its first secret key (shown once). */
      create: (params, opts) =>
        call<CreatedMerchant>(t, { method: "POST", path: "/v1/admin/merchants", body: params }, opts),
    };
    this.orders = {
      /** As the arbiter: `refund_amount` to the payer, the rest to the merchant net of fee. */
      resolve: (id, params, opts) =>
        call<Order>(t, { method: "POST", path: `/v1/admin/orders/${seg(id)}/resolve`, body: params }, opts),
      /** Place or lift a risk hold; a held payment is not released. */
      hold: (id, params, opts) =>
        call<Order>(t, { method: "POST", path: `/v1/admin/orders/${seg(id)}/hold`, body: params }, opts),
    };
  }
}

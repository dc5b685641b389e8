/**
 * /v1/admin: operator routes, authenticated with PIER_ADMIN_KEY rather than a merchant key. Construct a
 * client with the admin key (`new Pier(adminKey)`) or pass `{ apiKey: adminKey }` per call.
 */
import { call, seg, type WithResponse } from "../call.ts";
import { type ListParams, type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type {
  AdminCreateKeyParams,
  AdminMerchant,
  ApiKey,
  CreatedMerchant,
  CreateMerchantParams,
  CreateSignInLinkParams,
  DashboardSignInLink,
  HoldParams,
  Order,
  ResolveParams,
} from "../types.ts";

export class Admin {
  readonly merchants: {
    create: (params: CreateMerchantParams, opts?: RequestOptions) => Promise<CreatedMerchant>;
    list: (params?: ListParams, opts?: RequestOptions) => PagePromise<AdminMerchant>;
  };
  readonly keys: {
    create: (params: AdminCreateKeyParams, opts?: RequestOptions) => Promise<WithResponse<ApiKey>>;
  };
  readonly dashboardSignInLinks: {
    create: (
      params?: CreateSignInLinkParams,
      opts?: RequestOptions,
    ) => Promise<WithResponse<DashboardSignInLink>>;
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
      /** Every merchant of the instance, newest first. */
      list: (params = {}, opts) =>
        new PagePromise(
          (query) =>
            call<Page<AdminMerchant>>(
              t,
              { method: "GET", path: "/v1/admin/merchants", query: { ...query } },
              opts,
            ),
          params,
        ),
    };
    this.keys = {
      /** A key for any merchant (`type` default `secret`); its `secret` is in this response only. */
      create: (params, opts) =>
        call<ApiKey>(t, { method: "POST", path: "/v1/admin/keys", body: params }, opts),
    };
    this.dashboardSignInLinks = {
      /** Test mode only: a one-time, ten-minute link that signs in to the dashboard as the merchant's owner. */
      create: (params = {}, opts) =>
        call<DashboardSignInLink>(
          t,
          { method: "POST", path: "/v1/admin/dashboard_sign_in_links", body: params },
          opts,
        ),
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

/** /v1/keys: API keys (secret or restricted with scopes): create, retrieve, list, revoke, roll. */
import { call, seg } from "../call.ts";
import { type ListParams, type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { ApiKey, CreateKeyParams, RollKeyParams } from "../types.ts";

export class Keys {
  constructor(private readonly t: Transport) {}

  /** The new key's `secret` is in this response only. */
  create(params: CreateKeyParams = {}, opts?: RequestOptions) {
    return call<ApiKey>(this.t, { method: "POST", path: "/v1/keys", body: params }, opts);
  }

  retrieve(id: string, opts?: RequestOptions) {
    return call<ApiKey>(this.t, { method: "GET", path: `/v1/keys/${seg(id)}` }, opts);
  }

  list(params: ListParams = {}, opts?: RequestOptions): PagePromise<ApiKey> {
    return new PagePromise(
      (query) => call<Page<ApiKey>>(this.t, { method: "GET", path: "/v1/keys", query: { ...query } }, opts),
      params,
    );
  }

  revoke(id: string, opts?: RequestOptions) {
    return call<ApiKey>(this.t, { method: "POST", path: `/v1/keys/${seg(id)}/revoke` }, opts);
  }

  /** A new secret with the same access; the old one expires now or after `expires_in` seconds. */
  roll(id: string, params: RollKeyParams = {}, opts?: RequestOptions) {
    return call<ApiKey>(this.t, { method: "POST", path: `/v1/keys/${seg(id)}/roll`, body: params }, opts);
  }
}

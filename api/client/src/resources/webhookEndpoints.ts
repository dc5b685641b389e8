/** /v1/webhook_endpoints: where events are delivered, and their signing secrets. */
import { call, seg } from "../call.ts";
import { type ListParams, type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type {
  CreateWebhookEndpointParams,
  DeletedWebhookEndpoint,
  RotateSecretParams,
  UpdateWebhookEndpointParams,
  WebhookEndpoint,
} from "../types.ts";

export class WebhookEndpoints {
  constructor(private readonly t: Transport) {}

  /** The signing `secret` is in this response only (and in rotateSecret's). */
  create(params: CreateWebhookEndpointParams, opts?: RequestOptions) {
    return call<WebhookEndpoint>(
      this.t,
      { method: "POST", path: "/v1/webhook_endpoints", body: params },
      opts,
    );
  }

  retrieve(id: string, opts?: RequestOptions) {
    return call<WebhookEndpoint>(this.t, { method: "GET", path: `/v1/webhook_endpoints/${seg(id)}` }, opts);
  }

  update(id: string, params: UpdateWebhookEndpointParams, opts?: RequestOptions) {
    return call<WebhookEndpoint>(
      this.t,
      { method: "POST", path: `/v1/webhook_endpoints/${seg(id)}`, body: params },
      opts,
    );
  }

  list(params: ListParams = {}, opts?: RequestOptions): PagePromise<WebhookEndpoint> {
    return new PagePromise(
      (query) =>
        call<Page<WebhookEndpoint>>(
          this.t,
          { method: "GET", path: "/v1/webhook_endpoints", query: { ...query } },
          opts,
        ),
      params,
    );
  }

  /** Pending deliveries to it stop. */
  del(id: string, opts?: RequestOptions) {
    return call<DeletedWebhookEndpoint>(
      this.t,
      { method: "DELETE", path: `/v1/webhook_endpoints/${seg(id)}` },
      opts,
    );
  }

  /** The old secret keeps signing next to the new one for `expires_in` seconds (default 24 h). */
  rotateSecret(id: string, params: RotateSecretParams = {}, opts?: RequestOptions) {
    return call<WebhookEndpoint>(
      this.t,
      { method: "POST", path: `/v1/webhook_endpoints/${seg(id)}/rotate_secret`, body: params },
      opts,
    );
  }
}

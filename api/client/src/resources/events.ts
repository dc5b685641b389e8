/** /v1/events: the event log, each event's delivery attempts, and redelivery. */
import { call, seg } from "../call.ts";
import { type Page, PagePromise } from "../pagination.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { Event, ListEventsParams, RedeliverParams, Redelivery, WebhookDelivery } from "../types.ts";

export class Events {
  constructor(private readonly t: Transport) {}

  retrieve(id: string, opts?: RequestOptions) {
    return call<Event>(this.t, { method: "GET", path: `/v1/events/${seg(id)}` }, opts);
  }

  /** Filters: `type`, `order`, `delivered: false` (some delivery still pending or failed). */
  list(params: ListEventsParams = {}, opts?: RequestOptions): PagePromise<Event, ListEventsParams> {
    return new PagePromise(
      (query) => call<Page<Event>>(this.t, { method: "GET", path: "/v1/events", query }, opts),
      params,
    );
  }

  /** Every delivery of the event and every attempt of each. */
  deliveries(id: string, opts?: RequestOptions) {
    return call<Page<WebhookDelivery>>(
      this.t,
      { method: "GET", path: `/v1/events/${seg(id)}/deliveries` },
      opts,
    );
  }

  /** Sends the event again, to one endpoint or to all it was meant for. */
  redeliver(id: string, params: RedeliverParams = {}, opts?: RequestOptions) {
    return call<Redelivery>(
      this.t,
      { method: "POST", path: `/v1/events/${seg(id)}/redeliver`, body: params },
      opts,
    );
  }
}

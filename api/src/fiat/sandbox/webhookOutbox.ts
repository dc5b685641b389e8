/**
 * The sandbox wallet's webhook sender: records every event, signs each delivery like Pier's own
 * webhooks (`Pier-Sandbox-Signature: t=..,v1=..`, webhooks/signature.ts) at the time it is sent, and
 * applies the session's failure mode: late_webhook holds the session's events until released,
 * duplicate_webhook sends each twice.
 */
import { randomBase62 } from "../../lib/ids.ts";
import { signatureHeader } from "../../webhooks/signature.ts";
import type { FailureMode } from "./failureModes.ts";
import { type Delivery, SANDBOX_SIGNATURE_HEADER, type SandboxEvent } from "./wire.ts";

export class WebhookOutbox {
  readonly events: SandboxEvent[] = [];
  readonly deliveries: Delivery[] = [];
  private readonly held = new Map<string, SandboxEvent[]>();
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly secret: string,
    public url: string | undefined,
    private readonly now: () => number,
  ) {}

  /** Records an event and delivers it as the session's failure mode says (held, twice, or once). */
  emit(
    scope: { id: string; simulate: FailureMode | null } | null,
    type: string,
    object: SandboxEvent["data"]["object"],
  ): SandboxEvent {
    const event: SandboxEvent = {
      id: `sbxe_${randomBase62(20)}`,
      object: "event",
      type,
      created: Math.floor(this.now() / 1000),
      livemode: false,
      data: { object: structuredClone(object) },
    };
    this.events.push(event);
    if (scope?.simulate === "late_webhook") {
      this.held.set(scope.id, [...(this.held.get(scope.id) ?? []), event]);
      return event;
    }
    const times = scope?.simulate === "duplicate_webhook" ? 2 : 1;
    this.track(
      (async () => {
        for (let i = 0; i < times; i++) await this.deliver(event);
      })(),
    );
    return event;
  }

  /** Sends the events held for a late_webhook session, in order. */
  async release(sessionId: string): Promise<void> {
    const queue = this.held.get(sessionId) ?? [];
    this.held.delete(sessionId);
    for (const event of queue) await this.deliver(event);
  }

  /** The exact bytes and headers of a delivery of `event` signed at `timestamp` (unix seconds). */
  signedDelivery(event: SandboxEvent, timestamp = Math.floor(this.now() / 1000)) {
    const rawBody = JSON.stringify(event);
    return {
      rawBody,
      headers: {
        "content-type": "application/json",
        [SANDBOX_SIGNATURE_HEADER.toLowerCase()]: signatureHeader([this.secret], timestamp, rawBody),
      },
    };
  }

  /** Resolves once no delivery is in flight. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  private track(p: Promise<void>) {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async deliver(event: SandboxEvent): Promise<void> {
    if (!this.url) return;
    const { rawBody, headers } = this.signedDelivery(event);
    let status = 0;
    try {
      const res = await fetch(this.url, {
        method: "POST",
        headers,
        body: rawBody,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = 0;
    }
    this.deliveries.push({ eventId: event.id, status, at: this.now() });
  }
}

/**
 * The one entry point for a provider's webhook: verify (signature, time tolerance) through the adapter,
 * then de-duplicate by the provider's event id. A duplicate is not an error to the provider (it
 * re-sends when it missed our 2xx): the route answers 2xx and skips processing, so a replayed event is
 * never applied twice. Forged, tampered, late or malformed ones throw WebhookVerificationError (400).
 *
 * The log is an interface: pgWebhookEventLog.ts backs it with the fiat_webhook_event table (INSERT ...
 * ON CONFLICT DO NOTHING, first writer wins); unit tests use test/harness/memoryWebhookEventLog.ts.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { FiatEvent, FiatProvider, FiatProviderName } from "./provider.ts";

export interface WebhookEventLog {
  /** Records the event id; true if this is the first time it is seen. */
  firstSeen(provider: FiatProviderName, eventId: string): Promise<boolean>;
}

export interface ReceivedWebhook {
  event: FiatEvent;
  /** The same event id was already received: acknowledge it, do not process it again. */
  duplicate: boolean;
}

export async function receiveWebhook(
  provider: FiatProvider,
  log: WebhookEventLog,
  rawBody: string | Buffer,
  headers: IncomingHttpHeaders,
): Promise<ReceivedWebhook> {
  const event = await provider.verifyWebhook(rawBody, headers);
  const first = await log.firstSeen(provider.name, event.id);
  return { event, duplicate: !first };
}

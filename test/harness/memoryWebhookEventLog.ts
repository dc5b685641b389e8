/** An in-memory WebhookEventLog for the fiat adapters' unit tests (production uses pgWebhookEventLog). */
import type { WebhookEventLog } from "../../api/src/fiat/receiveWebhook.ts";

export function memoryWebhookEventLog(): WebhookEventLog {
  const seen = new Set<string>();
  return {
    async firstSeen(provider, eventId) {
      const key = `${provider}:${eventId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
  };
}

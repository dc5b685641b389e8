/**
 * The Postgres-backed WebhookEventLog over `fiat_webhook_event` (migration 0003_fiat.sql): the first
 * INSERT of a (provider, event id) wins; a re-delivery conflicts and reads as "already seen". Pass a
 * PoolClient inside the transaction that also records the event for the bridge, so "seen" and
 * "handled" commit together.
 */
import type pg from "pg";
import type { FiatEvent } from "./provider.ts";
import type { WebhookEventLog } from "./receiveWebhook.ts";

export function pgWebhookEventLog(db: pg.Pool | pg.PoolClient): WebhookEventLog & {
  /** Records the full event (type and payload) and says whether it is new. */
  record(event: FiatEvent): Promise<boolean>;
  markProcessed(provider: FiatEvent["provider"], eventId: string): Promise<void>;
} {
  const insert = async (provider: string, id: string, type: string, payload: unknown) => {
    const { rowCount } = await db.query(
      `INSERT INTO fiat_webhook_event (provider, event_id, event_type, payload)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [provider, id, type, JSON.stringify(payload ?? {})],
    );
    return rowCount === 1;
  };
  return {
    firstSeen: (provider, eventId) => insert(provider, eventId, "unknown", {}),
    record: (event) => insert(event.provider, event.id, event.providerType, event.raw),
    async markProcessed(provider, eventId) {
      await db.query(
        "UPDATE fiat_webhook_event SET processed_at = now() WHERE provider = $1 AND event_id = $2 AND processed_at IS NULL",
        [provider, eventId],
      );
    },
  };
}

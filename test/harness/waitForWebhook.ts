/** Waits (by polling, with a timeout) for a webhook of `type` about `orderId` at a test receiver. */
import { waitFor } from "../../scripts/lib/ports.ts";
import type { Received, WebhookReceiver } from "./webhookReceiver.ts";

export function webhooksFor(receiver: WebhookReceiver, orderId: string, type?: string): Received[] {
  return receiver.received
    .filter((r) => r.body?.data?.object?.id === orderId || r.body?.data?.object?.order === orderId)
    .filter((r) => !type || r.body?.type === type);
}

export function waitForWebhook(
  receiver: WebhookReceiver,
  orderId: string,
  type: string,
  timeoutMs = 30_000,
): Promise<Received> {
  return waitFor(`${type} for ${orderId}`, async () => webhooksFor(receiver, orderId, type)[0], {
    timeoutMs,
  });
}

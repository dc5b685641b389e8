/**
 * The fixture of the API-surface suites: one API stack, merchant A (the caller) and merchant B (the
 * victim) with one object of every kind B can own (an escrowed order with a refund, a canceled order and
 * its event, a webhook endpoint, a key), A's restricted key, and B's ids by list route (from the OpenAPI
 * document) for the tenant checks.
 */

import { paymentTermsFromJson } from "../../../contracts/lib/termsJson.ts";
import { waitFor } from "../../../scripts/lib/ports.ts";
import type { ApiClient } from "../../harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../../harness/apiStack.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../harness/webhookReceiver.ts";
import { loadOperations, type Operation } from "./openapiModel.ts";

export interface TwoMerchants {
  s: ApiStack;
  a: { client: ApiClient; secretKey: string; merchantId: string; restrictedKey: string };
  b: { client: ApiClient; secretKey: string; merchantId: string; webhookSecret: string };
  receiver: WebhookReceiver;
  operations: Operation[];
  /** B's ids by list path (/v1/orders -> [ord_...]). */
  foreignIds: Map<string, string[]>;
  stop(): Promise<void>;
}

/** The sandbox fiat wallet switched on (its simulator is not started: hostile input never reaches it). */
export const FIAT_ENV = {
  PIER_FIAT_PROVIDER: "sandbox",
  PIER_SANDBOX_API_KEY: "hardening-sandbox-api-key",
  PIER_SANDBOX_WEBHOOK_SECRET: "hardening-sandbox-webhook-secret",
};

export async function startTwoMerchants(env: Record<string, string> = {}): Promise<TwoMerchants> {
  const s = await startApiStack({ ...FIAT_ENV, ...env });
  const receiver = await startWebhookReceiver();
  try {
    const b = await s.newMerchant("Victim shop");
    const restricted = await s.client.post("/v1/keys", { type: "restricted", scopes: ["events:read"] });
    if (restricted.status !== 200) throw new Error(`restricted key: ${JSON.stringify(restricted.body)}`);

    const ep = await b.client.post("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] });
    const paidOrder = (await b.client.post("/v1/orders", { amount: "2000000" })).body;
    const canceled = (await b.client.post("/v1/orders", { amount: "100" })).body;
    await b.client.post(`/v1/orders/${canceled.id}/cancel`);
    await b.client.post("/v1/keys", { type: "restricted", scopes: ["orders:read"] });
    // Their customers opened the checkouts, which signs the terms (a write): done before the snapshot,
    // so the hostile run's own checkout reads change nothing.
    for (const o of [paidOrder, canceled]) await s.client.withKey(undefined).get(`/v1/checkout/${o.id}`);
    await s.stack.pay.payByPermit(paymentTermsFromJson(paidOrder.terms));
    await waitFor(
      "B's order escrowed",
      async () => (await b.client.get(`/v1/orders/${paidOrder.id}`)).body.status === "escrowed",
      { timeoutMs: 60_000 },
    );
    const refund = await b.client.post("/v1/refunds", { order: paidOrder.id, amount: "500000" });
    if (refund.status >= 300) throw new Error(`refund: ${JSON.stringify(refund.body)}`);
    await waitFor(
      "B's refund succeeded",
      async () => (await b.client.get(`/v1/refunds/${refund.body.id}`)).body.status === "succeeded",
      { timeoutMs: 60_000 },
    );

    const { operations } = await loadOperations(s.api.url);
    const foreignIds = new Map<string, string[]>();
    for (const op of operations) {
      if (op.method !== "GET" || op.pathParams.length || op.auth.kind !== "key") continue;
      const res = await b.client.get(op.path);
      const ids = Array.isArray(res.body?.data)
        ? res.body.data.map((o: { id?: string }) => o.id).filter((id: unknown) => typeof id === "string")
        : [];
      if (ids.length) foreignIds.set(op.path, ids);
    }
    return {
      s,
      a: {
        client: s.client,
        secretKey: s.secretKey,
        merchantId: s.merchantId,
        restrictedKey: restricted.body.secret,
      },
      b: { ...b, webhookSecret: ep.body.secret },
      receiver,
      operations,
      foreignIds,
      async stop() {
        await receiver.close();
        await s.stop();
      },
    };
  } catch (error) {
    await receiver.close();
    await s.stop();
    throw error;
  }
}

/** Waits until background work is idle: no pending webhook delivery or unfinished chain transaction. */
export async function quiesce(s: ApiStack): Promise<void> {
  let last: unknown;
  try {
    await waitFor(
      "background work idle",
      async () => {
        const { rows } = await s.stack.db.query<{ what: string; status: string; n: number }>(
          `SELECT 'delivery' AS what, status, count(*)::int AS n FROM pier_api.webhook_deliveries
             WHERE status = 'pending' GROUP BY status
           UNION ALL SELECT 'chain_tx', status, count(*)::int FROM pier_api.chain_txs
             WHERE status IN ('queued', 'sent') GROUP BY status`,
        );
        last = rows;
        return rows.length === 0;
      },
      { timeoutMs: 60_000 },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}: ${JSON.stringify(last)}`);
  }
}

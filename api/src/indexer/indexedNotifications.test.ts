/**
 * The indexer's commits wake the order sync (LISTEN/NOTIFY on a trigger the API installs on Ponder's
 * checkpoint table), and the sync's timer is only a safety net. Each test sets the safety net so that only
 * the path under test can bring the order to `escrowed` within the wait: a 60 s timer with notifications
 * (the notification did it), then notifications off with a short timer (the safety net did it).
 */
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";

let s: ApiStack;

beforeAll(async () => {
  s = await startApiStack({ PIER_SYNC_INTERVAL_MS: "60000" });
});

afterAll(async () => {
  await s?.stop();
});

async function triggerInstalled(): Promise<boolean> {
  const { rows } = await s.stack.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_trigger
      WHERE tgname = 'pier_notify_indexed' AND tgrelid = to_regclass($1)`,
    [`"${s.stack.indexer!.schema}"."_ponder_checkpoint"`],
  );
  return rows[0]!.n === 1;
}

/** Creates and pays an order; resolves once the API reports it escrowed (within `timeoutMs`). */
async function payAndWaitEscrowed(timeoutMs: number) {
  const created = await s.client.post("/v1/orders", { amount: "1000000" });
  expect(created.status).toBe(200);
  await s.stack.pay.payByAllowance(paymentTermsFromJson(created.body.terms));
  return waitFor(
    `order ${created.body.id} escrowed`,
    async () => (await s.client.get(`/v1/orders/${created.body.id}`)).body.status === "escrowed",
    { timeoutMs },
  );
}

describe("indexer notifications", () => {
  test("default: the indexer's commit wakes the sync: escrowed well within a 60 s safety net", async () => {
    await waitFor("trigger installed", triggerInstalled, { timeoutMs: 20_000 });
    await payAndWaitEscrowed(20_000);
  });

  test("behavior: a trigger dropped (a new indexer build recreates its tables) is installed again", async () => {
    await s.stack.db.query(
      `DROP TRIGGER pier_notify_indexed ON "${s.stack.indexer!.schema}"."_ponder_checkpoint"`,
    );
    expect(await triggerInstalled()).toBe(false);
    await waitFor("trigger installed again", triggerInstalled, { timeoutMs: 20_000 });
    await payAndWaitEscrowed(20_000);
  });

  test("error: with every notification lost, the safety net alone brings the order to escrowed", async () => {
    await s.restartApi({ PIER_SYNC_NOTIFY: "false", PIER_SYNC_INTERVAL_MS: "300" });
    await s.stack.db.query(
      `DROP TRIGGER IF EXISTS pier_notify_indexed ON "${s.stack.indexer!.schema}"."_ponder_checkpoint"`,
    );
    await payAndWaitEscrowed(20_000);
    // Nothing installed it back: this API neither listens nor installs.
    expect(await triggerInstalled()).toBe(false);
  });
});

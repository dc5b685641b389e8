/** The webhook event log on a real embedded Postgres, table from the API's migrations. */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { PostgresHandle } from "../../../scripts/lib/postgres.ts";
import { testDatabase } from "../../../test/harness/testDatabase.ts";
import { migrate } from "../db/migrate.ts";
import { createPool } from "../db/pool.ts";
import { pgWebhookEventLog } from "./pgWebhookEventLog.ts";
import type { FiatEvent } from "./provider.ts";

let dir: string;
let postgres: PostgresHandle;
let pool: pg.Pool;
const schema = "fiat_test";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-fiat-pg-"));
  await chmod(dir, 0o755);
  postgres = await testDatabase(join(dir, "pg"));
  // The API's own migrations: the table under test is the one production runs on.
  await migrate(postgres.url, schema);
  pool = createPool(postgres.url, schema, 8);
});

afterAll(async () => {
  await pool?.end();
  await postgres?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const event = (id: string): FiatEvent => ({
  kind: "payment",
  provider: "paypal",
  id,
  providerType: "PAYMENT.CAPTURE.COMPLETED",
  occurredAt: 1_800_000_000,
  providerRef: "5O190127TN364715T",
  captureRef: "3C679366HH908993F",
  status: "captured",
  raw: { id },
});

describe("pgWebhookEventLog", () => {
  test("default: the first delivery is new, a re-delivery is not", async () => {
    const log = pgWebhookEventLog(pool);
    expect(await log.record(event("WH-1"))).toBe(true);
    expect(await log.record(event("WH-1"))).toBe(false);
    expect(await log.firstSeen("stripe", "WH-1")).toBe(true); // ids are per provider
  });

  test("behavior: concurrent deliveries of one event: exactly one wins", async () => {
    const log = pgWebhookEventLog(pool);
    const results = await Promise.all(Array.from({ length: 8 }, () => log.record(event("WH-race"))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test("behavior: processed events are marked, the rest stay findable", async () => {
    const log = pgWebhookEventLog(pool);
    await log.record(event("WH-2"));
    await log.record(event("WH-3"));
    await log.markProcessed("paypal", "WH-2");
    const { rows } = await pool.query<{ event_id: string }>(
      "SELECT event_id FROM fiat_webhook_event WHERE processed_at IS NULL AND event_id IN ('WH-2','WH-3')",
    );
    expect(rows.map((r) => r.event_id)).toEqual(["WH-3"]);
  });

  test("error: an unknown provider name violates the table's check", async () => {
    await expect(pgWebhookEventLog(pool).firstSeen("venmo" as never, "x")).rejects.toThrow(
      /check constraint/,
    );
  });
});

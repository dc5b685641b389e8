/**
 * The Postgres quote store against a real embedded Postgres (scripts/lib/postgres.ts), in a schema of
 * its own, created by the API's migrations.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseRatio } from "@pier/money/rational";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { PostgresHandle } from "../../../scripts/lib/postgres.ts";
import { testDatabase } from "../../../test/harness/testDatabase.ts";
import { migrate } from "../db/migrate.ts";
import { createPool } from "../db/pool.ts";
import { NotFoundError } from "../errors.ts";
import { QuoteAlreadyUsedError, QuoteExpiredError } from "./errors.ts";
import { pgQuoteStore } from "./pgQuoteStore.ts";
import { computeQuote, type FxQuote } from "./quote.ts";

let dir: string;
let postgres: PostgresHandle;
let pool: pg.Pool;
const schema = "fx_test";
const now = new Date("2026-11-25T15:00:00.000Z");

function quote(sourceAmount = "10", currency = "EUR"): FxQuote {
  return computeQuote({
    sourceCurrency: currency,
    sourceAmount,
    rate: { rate: parseRatio("1.25"), asOf: new Date("2026-11-25T14:00:00Z"), source: "test" },
    spreadBps: 50,
    ttlSeconds: 60,
    maxRateAgeSeconds: 86_400,
    now,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-fx-pg-"));
  await chmod(dir, 0o755);
  postgres = await testDatabase(join(dir, "pg"));
  await migrate(postgres.url, schema);
  pool = createPool(postgres.url, schema, 8);
});

afterAll(async () => {
  await pool?.end();
  await postgres?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("pgQuoteStore", () => {
  test("default: a stored quote reads back identical, bigints and times included", async () => {
    const store = pgQuoteStore(pool);
    const q = quote("1234", "JPY");
    await store.insert(q);
    expect(await store.get(q.id)).toEqual(q);
    expect(await store.get("fxq_000000000000000000000000")).toBeUndefined();
  });

  test("behavior: consume marks the quote used, and is idempotent for the same user", async () => {
    const store = pgQuoteStore(pool);
    const q = quote();
    await store.insert(q);
    const used = await store.consume(q.id, "fs_1", new Date(now.getTime() + 1_000));
    expect(used.usedBy).toBe("fs_1");
    expect((await store.get(q.id))?.usedBy).toBe("fs_1");
    expect((await store.consume(q.id, "fs_1", new Date(now.getTime() + 2_000))).usedAt).toEqual(used.usedAt);
  });

  test("behavior: two sessions racing for one quote, exactly one wins", async () => {
    const store = pgQuoteStore(pool);
    const q = quote();
    await store.insert(q);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => store.consume(q.id, `fs_${i}`, now)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected"))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(QuoteAlreadyUsedError);
  });

  test("error: an expired quote cannot be used", async () => {
    const store = pgQuoteStore(pool);
    const q = quote();
    await store.insert(q);
    await expect(store.consume(q.id, "fs_x", q.expiresAt)).rejects.toBeInstanceOf(QuoteExpiredError);
    expect((await store.get(q.id))?.usedBy).toBeUndefined();
  });

  test("error: unknown quote and duplicate ids", async () => {
    const store = pgQuoteStore(pool);
    await expect(store.consume("fxq_000000000000000000000000", "fs", now)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const q = quote();
    await store.insert(q);
    await expect(store.insert(q)).rejects.toThrow(/duplicate key/);
  });
});

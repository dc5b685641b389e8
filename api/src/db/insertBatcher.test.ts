import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import type { PostgresHandle } from "../../../scripts/lib/postgres.ts";
import { testDatabase } from "../../../test/harness/testDatabase.ts";
import { insertBatcher } from "./insertBatcher.ts";
import { createPool } from "./pool.ts";

let dir: string;
let postgres: PostgresHandle;
let pool: pg.Pool;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-batcher-"));
  await chmod(dir, 0o755);
  postgres = await testDatabase(join(dir, "pg"));
  pool = createPool(postgres.url, "public", 4);
  await pool.query("CREATE TABLE item (id text PRIMARY KEY, qty integer NOT NULL CHECK (qty > 0))");
});

afterAll(async () => {
  await pool?.end();
  await postgres?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await pool.query("TRUNCATE item");
});

type Item = { id: string; qty: number };

/** A batcher over `item` that records the size of every statement it sends. */
function itemBatcher() {
  const statements: number[] = [];
  const batcher = insertBatcher<Item, string>({
    one: async (item) => {
      statements.push(1);
      const { rows } = await pool.query("INSERT INTO item VALUES ($1, $2) RETURNING id", [item.id, item.qty]);
      return rows[0].id;
    },
    many: async (items) => {
      statements.push(items.length);
      const { rows } = await pool.query(
        "INSERT INTO item SELECT * FROM unnest($1::text[], $2::integer[]) RETURNING id",
        [items.map((i) => i.id), items.map((i) => i.qty)],
      );
      return items.map((i) => rows.find((r) => r.id === i.id)!.id);
    },
    maxBatch: 10,
  });
  return { batcher, statements };
}

describe("insertBatcher", () => {
  test("default: rows queued in one turn are written by one statement each batch, every caller answered", async () => {
    const { batcher, statements } = itemBatcher();
    const ids = Array.from({ length: 25 }, (_, i) => `i${i}`);
    const answers = await Promise.all(ids.map((id) => batcher.insert({ id, qty: 1 })));
    expect(answers).toEqual(ids);
    expect(statements).toEqual([10, 10, 5]);
    expect((await pool.query("SELECT count(*)::int AS n FROM item")).rows[0].n).toBe(25);
  });

  test("default: a lone row goes through the one-row statement", async () => {
    const { batcher, statements } = itemBatcher();
    expect(await batcher.insert({ id: "alone", qty: 3 })).toBe("alone");
    expect(statements).toEqual([1]);
  });

  test("behavior: rows that arrive while statements run wait and go together in the next batch", async () => {
    // No database: `many` waits on a gate this test opens, so what is in flight is under its control.
    const sizes: number[] = [];
    let open: () => void = () => {};
    const batcher = insertBatcher<string, string>({
      one: async (row) => {
        sizes.push(1);
        return row;
      },
      many: async (rows) => {
        sizes.push(rows.length);
        await new Promise<void>((resolve) => {
          open = resolve;
        });
        return rows;
      },
      maxInFlight: 1,
    });
    const first = [batcher.insert("a"), batcher.insert("b")];
    await vi.waitFor(() => expect(sizes).toEqual([2]));
    const later = [batcher.insert("c"), batcher.insert("d")];
    await new Promise((resolve) => setImmediate(resolve));
    const last = batcher.insert("e"); // a later turn: still waiting for the statement in flight
    expect(sizes).toEqual([2]);
    open();
    expect(await Promise.all(first)).toEqual(["a", "b"]);
    await vi.waitFor(() => expect(sizes).toEqual([2, 3]));
    open();
    expect(await Promise.all([...later, last])).toEqual(["c", "d", "e"]);
  });

  test("error: a bad row fails its own insert only; the others of its batch are written", async () => {
    const { batcher, statements } = itemBatcher();
    const results = await Promise.allSettled([
      batcher.insert({ id: "a", qty: 1 }),
      batcher.insert({ id: "bad", qty: 0 }), // breaks the CHECK: the batch statement fails as a whole
      batcher.insert({ id: "c", qty: 2 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/item_qty_check/);
    // One failed batch of three, then each row alone.
    expect(statements).toEqual([3, 1, 1, 1]);
    const { rows } = await pool.query("SELECT id FROM item ORDER BY id");
    expect(rows.map((r) => r.id)).toEqual(["a", "c"]);
  });

  test("error: a duplicate inside one batch is refused once and the first copy stays", async () => {
    const { batcher } = itemBatcher();
    const results = await Promise.allSettled([
      batcher.insert({ id: "dup", qty: 1 }),
      batcher.insert({ id: "dup", qty: 2 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((await pool.query("SELECT qty FROM item WHERE id = 'dup'")).rows).toHaveLength(1);
  });
});

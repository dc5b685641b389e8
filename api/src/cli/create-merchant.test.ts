/** The create-merchant command and scripts/seed.ts against a real (embedded) Postgres. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { PostgresHandle } from "../../../scripts/lib/postgres.ts";
import { seed } from "../../../scripts/seed.ts";
import { testDatabase } from "../../../test/harness/testDatabase.ts";
import { hashSecret } from "../keys/apiKeys.ts";
import { createMerchantCommand } from "./create-merchant.ts";

let dir: string;
let postgres: PostgresHandle;
let db: pg.Pool;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-cli-"));
  const { chmod } = await import("node:fs/promises");
  await chmod(dir, 0o755);
  postgres = await testDatabase(join(dir, "pg"));
  db = new pg.Pool({ connectionString: postgres.url, max: 2 });
});
afterAll(async () => {
  await db?.end();
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("create-merchant", () => {
  test("default: merchant + secret key, stored hashed; migrations run on an empty database", async () => {
    const m = await createMerchantCommand({
      databaseUrl: postgres.url,
      schema: "cli_test",
      name: "Corner shop",
      payoutAddress: "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
    });
    expect(m.secretKey).toMatch(/^sk_test_[0-9A-Za-z]{40}$/);
    const { rows } = await db.query(
      "SELECT m.payout_address, k.secret_hash, k.type FROM cli_test.merchants m JOIN cli_test.api_keys k ON k.merchant_id = m.id WHERE m.id = $1",
      [m.merchantId],
    );
    expect(rows).toEqual([
      {
        payout_address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
        secret_hash: hashSecret(m.secretKey),
        type: "secret",
      },
    ]);
    // The operator at the command line is the actor of its audit entry.
    const audited = await db.query(
      "SELECT actor_type, actor_id, livemode, details FROM cli_test.audit_log WHERE action = 'merchant.created' AND object_id = $1",
      [m.merchantId],
    );
    expect(audited.rows).toEqual([
      {
        actor_type: "admin",
        actor_id: "cli",
        livemode: null,
        details: {
          name: "Corner shop",
          payout_address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
          owner_address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
          first_key: m.keyId,
        },
      },
    ]);
  });

  test("error: a bad payout address creates nothing", async () => {
    await expect(
      createMerchantCommand({
        databaseUrl: postgres.url,
        schema: "cli_test",
        name: "Bad",
        payoutAddress: "0xnope",
      }),
    ).rejects.toMatchObject({ code: "parameter_invalid" });
    const { rows } = await db.query("SELECT count(*)::int AS n FROM cli_test.merchants WHERE name = 'Bad'");
    expect(rows[0].n).toBe(0);
  });

  test("behavior: seed reuses the demo merchant and prints a new key each run", async () => {
    const a = await seed({ databaseUrl: postgres.url, schema: "seed_test" });
    const b = await seed({ databaseUrl: postgres.url, schema: "seed_test" });
    expect(b.merchantId).toBe(a.merchantId);
    expect(b.secretKey).not.toBe(a.secretKey);
    const { rows } = await db.query(
      "SELECT count(*)::int AS n FROM seed_test.api_keys WHERE merchant_id = $1",
      [a.merchantId],
    );
    expect(rows[0].n).toBe(2);
  });
});

/**
 * Sign-in link expiry and consumption against a real (embedded) Postgres with the API's migrations, the
 * clock injected: a link minted at T works until T + 10 min and is refused from then on, unspent.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { PostgresHandle } from "../../../scripts/lib/postgres.ts";
import { testDatabase } from "../../../test/harness/testDatabase.ts";
import { migrate } from "../db/migrate.ts";
import { createPool } from "../db/pool.ts";
import { createMerchant } from "../merchants/merchants.ts";
import { mintSignInLink, redeemSignInLink, SIGN_IN_LINK_TTL_SECONDS } from "./signInLink.ts";

let dir: string;
let postgres: PostgresHandle;
let pool: pg.Pool;
let merchantId: string;
const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
/** Made as `pier-api create-merchant` makes them: by the operator at the command line. */
const cli = { actor: { type: "admin", id: "cli" } } as const;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-signin-link-"));
  await chmod(dir, 0o755);
  postgres = await testDatabase(join(dir, "pg"));
  await migrate(postgres.url, "link_test");
  pool = createPool(postgres.url, "link_test", 4);
  merchantId = (
    await createMerchant(
      pool,
      {
        name: "Link shop",
        payoutAddress: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
        ownerAddress: OWNER,
        livemode: false,
      },
      cli,
    )
  ).merchant.id;
});

afterAll(async () => {
  await pool?.end();
  await postgres?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A clock far from the machine's (the tests run a year ahead anyway): only the injected one counts. */
const minted = new Date("2031-03-04T10:00:00.000Z");
const after = (seconds: number) => new Date(minted.getTime() + seconds * 1000);

describe("sign-in links (injected clock)", () => {
  test("default: valid for exactly SIGN_IN_LINK_TTL_SECONDS; a session of the owner in test mode", async () => {
    const link = await mintSignInLink(pool, { merchantId, now: minted });
    expect(link.expiresAt).toEqual(after(600));
    expect(SIGN_IN_LINK_TTL_SECONDS).toBe(600);
    const { session, token } = await redeemSignInLink(pool, link.token, after(599));
    expect(session).toMatchObject({ merchant_id: merchantId, address: OWNER, livemode: false });
    expect(token).toMatch(/^[0-9A-Za-z]{43}$/);
    const { rows } = await pool.query(
      "SELECT used_at, session_id FROM dashboard_sign_in_links WHERE id = $1",
      [link.id],
    );
    expect(rows[0]).toEqual({ used_at: after(599), session_id: session.id });
  });

  test("error: at and after expiry -> 401 sign_in_link_expired, nothing consumed, no session", async () => {
    const link = await mintSignInLink(pool, { merchantId, now: minted });
    const sessions = async () =>
      (await pool.query("SELECT count(*)::int AS n FROM dashboard_sessions")).rows[0].n;
    const before = await sessions();
    for (const late of [after(600), after(3600)]) {
      await expect(redeemSignInLink(pool, link.token, late)).rejects.toMatchObject({
        statusCode: 401,
        code: "sign_in_link_expired",
      });
    }
    expect(await sessions()).toBe(before);
    const { rows } = await pool.query("SELECT used_at FROM dashboard_sign_in_links WHERE id = $1", [link.id]);
    expect(rows[0].used_at).toBeNull();
  });

  test("error: a used link stays used, even before its expiry", async () => {
    const link = await mintSignInLink(pool, { merchantId, now: minted });
    await redeemSignInLink(pool, link.token, after(10));
    await expect(redeemSignInLink(pool, link.token, after(20))).rejects.toMatchObject({
      statusCode: 401,
      code: "sign_in_link_used",
    });
  });

  test("error: no merchant at all is a 404 naming how to create one; a link for no one is never stored", async () => {
    const empty = "link_empty";
    await migrate(postgres.url, empty);
    const bare = createPool(postgres.url, empty, 1);
    try {
      await expect(mintSignInLink(bare, { now: minted })).rejects.toMatchObject({
        statusCode: 404,
        code: "resource_missing",
        message: expect.stringContaining("pier admin merchants create"),
      });
      const { rows } = await bare.query("SELECT count(*)::int AS n FROM dashboard_sign_in_links");
      expect(rows[0].n).toBe(0);
    } finally {
      await bare.end();
    }
  });

  test("behavior: without a merchant, the oldest one", async () => {
    await createMerchant(
      pool,
      {
        name: "Newer shop",
        payoutAddress: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
        livemode: false,
      },
      cli,
    );
    expect((await mintSignInLink(pool, { now: minted })).merchantId).toBe(merchantId);
  });
});

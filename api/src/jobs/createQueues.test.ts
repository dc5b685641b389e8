/**
 * The API's queues against a real embedded Postgres and pg-boss: every queue carries a job heartbeat, so
 * a job held by a killed process is retried within seconds; queues left by an older version (no
 * heartbeat) are brought in line at start, the per-signer sender queues of older versions are removed
 * (chain_txs is the sender's queue now), and a start with nothing to change changes nothing.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PgBoss } from "pg-boss";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { PostgresHandle } from "../../../scripts/lib/postgres.ts";
import { testDatabase } from "../../../test/harness/testDatabase.ts";
import { FIAT_EVENT_QUEUE } from "../bridge/queues.ts";
import type { AppContext } from "../context.ts";
import { legacySenderQueue, WEBHOOK_QUEUE } from "./queues.ts";
import { createQueues } from "./workers.ts";

let dir: string;
let postgres: PostgresHandle;
let boss: PgBoss;
const updates: unknown[] = [];

// Hardhat's public test accounts #0 and #1.
const operator = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const keeper = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

/** Only what createQueues reads: the pg-boss instance, the webhook timeout, each network's signers, a log. */
const ctx = () =>
  ({
    boss,
    config: { webhook: { timeoutMs: 10_000 } },
    networks: { list: [{ chainId: 31337, signers: { operator, keeper } }] },
    log: { info: (obj: unknown) => updates.push(obj) },
  }) as unknown as AppContext;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-queues-"));
  await chmod(dir, 0o755);
  postgres = await testDatabase(join(dir, "pg"));
  boss = new PgBoss({ connectionString: postgres.url, schema: "jobs_test", supervise: false });
  await boss.start();
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await postgres?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("createQueues", () => {
  test("behavior: queues from an older version get the heartbeat; new ones are made with it; a rerun changes nothing", async () => {
    const sender = legacySenderQueue(31337, operator.address);
    // As an older version left them: no heartbeat, and a sender queue per signer with a job in it.
    await boss.createQueue(WEBHOOK_QUEUE, { notify: true, expireInSeconds: 15 });
    await boss.createQueue(sender, { policy: "singleton", notify: true, expireInSeconds: 300 });
    await boss.send(sender, { chainTxId: "ctx_old" });
    expect((await boss.getQueue(WEBHOOK_QUEUE))?.heartbeatSeconds).toBeNull();

    await createQueues(ctx());
    for (const name of [WEBHOOK_QUEUE, FIAT_EVENT_QUEUE]) {
      expect((await boss.getQueue(name))?.heartbeatSeconds, name).toBe(10);
    }
    expect(await boss.getQueue(sender)).toBeFalsy();
    expect(await boss.getQueue(legacySenderQueue(31337, keeper.address))).toBeFalsy();
    expect(updates).toHaveLength(2); // the webhook queue brought in line, the legacy sender queue removed

    updates.length = 0;
    await createQueues(ctx());
    expect(updates).toEqual([]);
  });
});

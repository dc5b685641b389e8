/**
 * ./scripts/dev restarted as a developer restarts it: three starts in a row on one data folder. Each start
 * brings a new chain (same chain id, new genesis) while Postgres keeps the API's data, signers' nonces
 * included. After every start a partial refund and a time-travel settle must complete; every Ctrl-C
 * (SIGINT to the terminal's process group) must stop the whole stack cleanly, with no database error
 * in any log.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Deployment } from "../../contracts/lib/deployments.ts";
import { paymentTermsFromJson } from "../../contracts/lib/termsJson.ts";
import { freePort, waitFor } from "../../scripts/lib/ports.ts";
import { apiClient } from "../harness/apiClient.ts";
import { createPayments, evmIncreaseTime, evmMine } from "../harness/payments.ts";

const root = new URL("../..", import.meta.url).pathname;
// The first start on an empty folder, the second on a new genesis with the signers' stored nonces (where
// the old sender hung), the third after a chain reset is already on record. A fourth covered nothing new
// and cost about 22 s of every test run.
const STARTS = 3;
let dir: string;
let env: Record<string, string>;
let apiUrl: string;
let rpcUrl: string;
let dev: ChildProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-dev-restart-"));
  const port = async () => String(await freePort());
  env = {
    PIER_DEV_DATA_DIR: dir,
    PIER_PG_PORT: await port(),
    PIER_CHAIN_PORT: await port(),
    PIER_CHAIN_B_PORT: await port(),
    PIER_INDEXER_PORT: await port(),
    PIER_API_PORT: await port(),
    PIER_WEB_PORT: await port(),
    PIER_SANDBOX_PORT: await port(),
    PIER_KEEPER_INTERVAL_MS: "500",
    PIER_LOG_FORMAT: "json",
  };
  apiUrl = `http://127.0.0.1:${env.PIER_API_PORT}`;
  rpcUrl = `http://127.0.0.1:${env.PIER_CHAIN_PORT}`;
});

afterAll(async () => {
  // A failed round leaves dev running. SIGINT first, so dev stops its chains, indexer and Postgres itself
  // (a SIGKILL would leave them running); SIGKILL only if it has not exited within 60 s.
  if (dev?.pid && dev.exitCode === null && dev.signalCode === null) {
    const gone = new Promise((resolve) => dev!.once("exit", resolve));
    process.kill(-dev.pid, "SIGINT");
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 60_000).unref())]);
    if (dev.exitCode === null && dev.signalCode === null) process.kill(-dev.pid, "SIGKILL");
  }
  await rm(dir, { recursive: true, force: true });
});

/** Starts ./scripts/dev in a process group of its own, as a terminal runs a foreground job. */
async function startDev(): Promise<{
  child: ChildProcess;
  secretKey: string;
  exited: Promise<number | null>;
}> {
  const child = spawn("bash", ["scripts/dev"], {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  dev = child;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const secretKey = await waitFor(
    "dev to print the stack's summary",
    async () => {
      if (child.exitCode !== null) throw new Error(`dev exited with ${child.exitCode}:\n${out.slice(-3000)}`);
      return (
        /Pier local stack is up/.test(out) && /test secret key \(shown once\): (sk_test_\w+)/.exec(out)?.[1]
      );
    },
    { timeoutMs: 240_000, intervalMs: 200 },
  );
  return { child, secretKey, exited };
}

/** A paid order refunded in part through the API, then settled by the keeper after time travel. */
async function refundAndSettle(secretKey: string, round: number): Promise<void> {
  const api = apiClient(apiUrl, secretKey);
  const deployment = JSON.parse(await readFile(join(dir, "deployment.json"), "utf8")) as Deployment;
  const pay = createPayments(rpcUrl, deployment);
  const created = await api.post("/v1/orders", { amount: "10000000", description: `restart ${round}` });
  expect(created.status).toBe(200);
  const order = created.body;
  await pay.payByAllowance(paymentTermsFromJson(order.terms));
  const status = async () => (await api.get(`/v1/orders/${order.id}`)).body;
  await waitFor(`order ${order.id} escrowed`, async () => (await status()).status === "escrowed", {
    timeoutMs: 60_000,
  });
  const refund = await api.post("/v1/refunds", { order: order.id, amount: "1000000" });
  expect(refund.status).toBe(200);
  await waitFor(
    `refund ${refund.body.id} succeeded`,
    async () => {
      const r = (await api.get(`/v1/refunds/${refund.body.id}`)).body;
      if (r.status === "failed") throw new Error(`refund failed: ${r.failure_code} ${r.failure_message}`);
      return r.status === "succeeded";
    },
    { timeoutMs: 60_000 },
  );
  await evmIncreaseTime(rpcUrl, 7 * 86_400 + 1);
  await evmMine(rpcUrl, 1);
  const settled = await waitFor(
    `order ${order.id} settled by the keeper`,
    async () => {
      const o = await status();
      return o.status === "settled" && o;
    },
    { timeoutMs: 90_000 },
  );
  expect(settled.amount_refunded).toBe("1000000");
  // The rest went to the merchant, net of the platform fee.
  expect(BigInt(settled.amount_released) + BigInt(settled.fee_paid)).toBe(9_000_000n);
}

/** Chain A offers the test token only; chain B a model of each stablecoin family beside it. */
async function expectTokenSets(secretKey: string): Promise<void> {
  const res = await apiClient(apiUrl, secretKey).get("/v1/networks");
  expect(res.status).toBe(200);
  const offered = Object.fromEntries(
    (
      res.body.data as { chain_id: number; tokens: { symbol: string; peg: string; methods: string[] }[] }[]
    ).map((n) => [n.chain_id, n.tokens.map((t) => `${t.symbol} ${t.peg} ${t.methods.join("+")}`)]),
  );
  expect(offered[31337]).toHaveLength(1);
  expect(offered[1337]).toEqual([
    offered[31337]![0],
    "USDC USD authorization+permit+allowance",
    "EURC EUR authorization+permit+allowance",
    "DAI USD dai_permit+allowance",
    "tUSDT USD allowance",
  ]);
}

// Each start boots two Hardhat nodes, the indexer, the API and a web build: about a minute per round on a
// busy two-core machine, more than the suite's default test timeout for three rounds.
test(`behavior: ${STARTS} starts in a row on one data folder; each completes a refund and a settle, and stops cleanly`, {
  timeout: 540_000,
}, async () => {
  for (let round = 1; round <= STARTS; round++) {
    const { child, secretKey, exited } = await startDev();
    if (round === 1) await expectTokenSets(secretKey);
    await refundAndSettle(secretKey, round);
    process.kill(-child.pid!, "SIGINT");
    expect(await exited).toBe(0);
  }
  // Postgres stops last: nothing that was still running lost its database.
  const logs = join(dir, "logs");
  for (const name of await readdir(logs)) {
    const text = await readFile(join(logs, name), "utf8");
    expect(
      text.match(
        /terminating connection due to administrator command|Connection terminated unexpectedly|ECONNREFUSED 127\.0\.0\.1:\d+|the database system is shutting down/g,
      ),
      name,
    ).toBeNull();
  }
});

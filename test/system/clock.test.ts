/**
 * The test run's clock. ./scripts/test runs every TypeScript suite with the process clock a year ahead
 * (PIER_TEST_CLOCK_OFFSET=+366d through Debian's faketime, inherited by every process the suites start),
 * so a test or fixture that depends on today's date fails in today's CI run, not on the day it expires.
 * This file proves the shift is really in effect everywhere time comes from: this worker, a child
 * process, Postgres and the local chain's blocks. Without the variable it proves there is no shift.
 *
 * The real time comes from the kernel: a file's modification time, which the kernel stamps on write and
 * faketime does not touch for a plain write.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ChainHandle, rpc, startChain } from "../../scripts/lib/chain.ts";
import { freePort } from "../../scripts/lib/ports.ts";
import type { PostgresHandle } from "../../scripts/lib/postgres.ts";
import { testDatabase } from "../harness/testDatabase.ts";

/** "+366d" -> 366 days in seconds; unset -> 0. */
function expectedOffsetSeconds(): number {
  const raw = process.env.PIER_TEST_CLOCK_OFFSET;
  if (!raw) return 0;
  const match = /^\+(\d+)d$/.exec(raw);
  if (!match) throw new Error(`PIER_TEST_CLOCK_OFFSET must look like +366d, not ${raw}`);
  return Number(match[1]) * 86_400;
}

const TOLERANCE_SECONDS = 600;
let dir: string;

/** Kernel time in unix seconds, read off a file written just now. */
async function kernelNow(): Promise<number> {
  const path = join(dir, "now");
  await writeFile(path, String(Math.random()));
  return (await stat(path)).mtimeMs / 1000;
}

function expectShifted(label: string, seconds: number, real: number) {
  const shift = seconds - real;
  expect(
    Math.abs(shift - expectedOffsetSeconds()),
    `${label}: ${new Date(seconds * 1000).toISOString()}, real ${new Date(real * 1000).toISOString()}`,
  ).toBeLessThan(TOLERANCE_SECONDS);
}

let chain: ChainHandle | undefined;
let postgres: PostgresHandle | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-clock-"));
});

afterAll(async () => {
  await chain?.stop();
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe(`the test run's clock (PIER_TEST_CLOCK_OFFSET=${process.env.PIER_TEST_CLOCK_OFFSET ?? "unset"})`, () => {
  test("behavior: this process and a child process see the shifted clock", async () => {
    expectShifted("Date.now() here", Date.now() / 1000, await kernelNow());
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", "console.log(Date.now())"]);
    expectShifted("Date.now() in a child", Number(stdout.trim()) / 1000, await kernelNow());
  });

  test("behavior: Postgres's now() is shifted the same way", async () => {
    postgres = await testDatabase(join(dir, "pg"));
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ now: string }>("SELECT extract(epoch FROM now())::text AS now");
      expectShifted("Postgres now()", Number(rows[0]!.now), await kernelNow());
    } finally {
      await client.end();
    }
  });

  test("behavior: the local chain stamps new blocks with the shifted clock", async () => {
    chain = await startChain({ port: await freePort(), logFile: join(dir, "chain.log") });
    await rpc(chain.rpcUrl, "evm_mine");
    const block = await rpc<{ timestamp: string }>(chain.rpcUrl, "eth_getBlockByNumber", ["latest", false]);
    expectShifted("latest block", Number(BigInt(block.timestamp)), await kernelNow());
  });
});

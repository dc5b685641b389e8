/**
 * ./scripts/dev refuses to start when a port it needs is taken (chain B's too, unless PIER_DEV_CHAINS=1),
 * naming it, before it starts anything:
 * otherwise its readiness checks would talk to whatever already listens there (another Hardhat node on
 * 8545 once passed for ours).
 */
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { freePort } from "../../scripts/lib/ports.ts";

const root = new URL("../..", import.meta.url).pathname;
let squatter: Server;
let busyPort: number;

beforeAll(async () => {
  squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
  busyPort = (squatter.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

test("error: a taken port stops dev before anything starts, naming the port and the way out", async () => {
  const env = {
    ...process.env,
    PIER_LOG_FORMAT: "json",
    PIER_PG_PORT: String(await freePort()),
    PIER_CHAIN_PORT: String(busyPort),
    PIER_CHAIN_B_PORT: String(busyPort),
    PIER_INDEXER_PORT: String(await freePort()),
    PIER_API_PORT: String(busyPort),
    PIER_WEB_PORT: String(await freePort()),
    PIER_SANDBOX_PORT: String(await freePort()),
  };
  const failed = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/dev.ts"], {
    cwd: root,
    env,
    timeout: 60_000,
  }).catch((error: { code: number; stdout: string }) => error);
  expect("code" in failed ? failed.code : 0).toBe(1);
  const lines = failed.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, string>);
  const failure = lines.find((l) => l.msg === "failed to start");
  expect(failure?.error).toBe(
    `ports ${busyPort} (chain), ${busyPort} (chainB), ${busyPort} (api) already in use by another process; stop it, ` +
      "or move ours with PIER_PG_PORT, PIER_CHAIN_PORT, PIER_CHAIN_B_PORT, PIER_INDEXER_PORT, PIER_API_PORT, " +
      "PIER_WEB_PORT, PIER_SANDBOX_PORT",
  );
  // Nothing was started, so nothing was stopped.
  expect(lines.filter((l) => l.msg === "stopped")).toEqual([]);
});

test("default: with PIER_DEV_CHAINS=1 chain B's port is not needed; a bad value is refused", async () => {
  const env = {
    ...process.env,
    PIER_LOG_FORMAT: "json",
    PIER_PG_PORT: String(await freePort()),
    PIER_CHAIN_PORT: String(busyPort),
    PIER_CHAIN_B_PORT: String(busyPort),
    PIER_INDEXER_PORT: String(await freePort()),
    PIER_API_PORT: String(await freePort()),
    PIER_WEB_PORT: String(await freePort()),
    PIER_SANDBOX_PORT: String(await freePort()),
  };
  const run = (more: Record<string, string>) =>
    promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/dev.ts"], {
      cwd: root,
      env: { ...env, ...more },
      timeout: 60_000,
    }).catch((error: { code: number; stdout: string }) => error);
  const failure = (out: { stdout: string }) =>
    out.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, string>)
      .find((l) => l.msg === "failed to start");

  const one = await run({ PIER_DEV_CHAINS: "1" });
  expect("code" in one ? one.code : 0).toBe(1);
  expect(failure(one)?.error).toMatch(new RegExp(`^port ${busyPort} \\(chain\\) already in use`));

  const bad = await run({ PIER_DEV_CHAINS: "3" });
  expect("code" in bad ? bad.code : 0).toBe(2);
  expect(failure(bad)?.error).toBe("PIER_DEV_CHAINS must be 1 or 2, not 3");
});

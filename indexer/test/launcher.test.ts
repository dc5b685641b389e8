/** The launcher's failure paths (its happy path runs in every stack-backed suite). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startIndexer } from "../../scripts/lib/indexer.ts";
import { freePort } from "../../scripts/lib/ports.ts";
import { IndexerConfigError } from "../lib/config.ts";

const dir = mkdtempSync(join(tmpdir(), "pier-launcher-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const deploymentFile = join(dir, "deployment.json");
writeFileSync(
  deploymentFile,
  JSON.stringify({
    chainId: 31337,
    genesisHash: `0x${"1a".repeat(32)}`,
    deployedAt: "2026-01-01T00:00:00.000Z",
    contracts: {
      PaymentEscrow: {
        address: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
        blockNumber: 1,
        txHash: `0x${"00".repeat(32)}`,
      },
    },
  }),
);

describe("startIndexer", () => {
  it("error: a deployment file that does not exist fails before anything is spawned", async () => {
    await expect(
      startIndexer({
        databaseUrl: "postgres://pier@127.0.0.1:1/pier",
        rpcUrl: "http://127.0.0.1:1",
        deploymentFile: join(dir, "missing.json"),
        port: await freePort(),
      }),
    ).rejects.toThrow(IndexerConfigError);
  });

  it("error: Ponder exiting before it is ready is reported with its exit code and last log lines", async () => {
    const logFile = join(dir, "ponder.log");
    const started = Date.now();
    // Ponder refuses schema names over 45 characters at build time, before touching the database.
    await expect(
      startIndexer({
        databaseUrl: "postgres://pier@127.0.0.1:1/pier",
        rpcUrl: "http://127.0.0.1:1",
        deploymentFile,
        port: await freePort(),
        schema: "s".repeat(46),
        logFile,
      }),
    ).rejects.toThrow(/ponder exited with 1 before it was ready; last log lines .*\n.*longer than 45/s);
    // Reported as soon as it exited, not after the readiness timeout.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(readFileSync(logFile, "utf8")).toContain("Build failed");
  });
});

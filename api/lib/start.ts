/**
 * Starts the API as a child process: Node with tsx's loader running src/server.ts directly (not through
 * pnpm), so `pid` is the server itself and a crash test's kill -9 hits the real process. Resolves once
 * GET /readyz answers 200 (database, chain and indexer usable).
 *
 *   const api = await startApi({ databaseUrl, rpcUrl, deploymentFile, indexerSchema, port });
 *   ...
 *   await api.stop(); // SIGTERM: finishes in-flight requests and jobs, then exits
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const API_ROOT = new URL("..", import.meta.url).pathname;
const STOP_GRACE_MS = 25_000;

export interface StartApiOptions {
  databaseUrl: string;
  rpcUrl: string;
  deploymentFile: string;
  /** The indexer's Postgres schema (IndexerHandle.schema). */
  indexerSchema: string;
  /**
   * The networks file (PIER_NETWORKS_FILE) when the API serves several chains; `rpcUrl`/`deploymentFile`
   * then describe the first. Unset: one network, and a PIER_NETWORKS_FILE inherited from our own
   * environment is not passed on (it would describe other chains than the ones we were given).
   */
  networksFile?: string;
  port: number;
  /**
   * Extra environment (PIER_CONFIRMATIONS, PIER_ADMIN_KEY, ...); wins over the above. PIER_METRICS_TOKEN
   * defaults to a random token (`metricsToken`); "" leaves it unset, which turns /metrics off.
   */
  env?: Record<string, string>;
  /** Server logs (JSON lines) are appended here; default: inherited. */
  logFile?: string;
  readyTimeoutMs?: number;
  /** Run the production bundle (dist/server.mjs, from `pnpm --filter @pier/api build`) instead of the source. */
  built?: boolean;
}

export interface ApiHandle {
  url: string;
  /** The bearer token of GET /metrics (PIER_METRICS_TOKEN): ours or a fresh random one. */
  metricsToken: string;
  /** GET /metrics with the token: the Prometheus text (throws on any other answer than 200). */
  metrics(): Promise<string>;
  pid: number;
  process: ChildProcess;
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM and wait (SIGKILL after a grace period). Safe after a crash or a kill. */
  stop(): Promise<void>;
}

/**
 * Builds the production bundle (api/build.ts: dist/server.mjs) that `built: true` starts. esbuild names a
 * build error on stderr, which is passed through.
 */
export function buildApi(): void {
  execFileSync(process.execPath, ["--import", "tsx", "build.ts"], {
    cwd: API_ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

export async function startApi(opts: StartApiOptions): Promise<ApiHandle> {
  const require = createRequire(import.meta.url);
  const tsxLoader = pathToFileURL(require.resolve("tsx")).href;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: opts.databaseUrl,
    PIER_RPC_URL: opts.rpcUrl,
    PIER_DEPLOYMENT_FILE: opts.deploymentFile,
    PIER_INDEXER_SCHEMA: opts.indexerSchema,
    PIER_API_HOST: "127.0.0.1",
    PIER_API_PORT: String(opts.port),
    PIER_NETWORKS_FILE: opts.networksFile,
    // /metrics is off without a token: every API started here serves it, to whoever knows the token.
    PIER_METRICS_TOKEN: process.env.PIER_METRICS_TOKEN ?? `metrics_${randomBytes(16).toString("hex")}`,
    ...opts.env,
  };
  // An empty token asks for an API without metrics (the variable unset).
  if (env.PIER_METRICS_TOKEN === "") delete env.PIER_METRICS_TOKEN;
  const metricsToken = env.PIER_METRICS_TOKEN ?? "";
  if (env.PIER_NETWORKS_FILE === undefined) delete env.PIER_NETWORKS_FILE;
  let logFd: number | undefined;
  if (opts.logFile) logFd = openSync(opts.logFile, "a");
  // One V8 helper thread, as production runs it (package.json start:built; scripts/lib/indexer.ts says why).
  const args = [
    "--v8-pool-size=1",
    ...(opts.built ? ["dist/server.mjs"] : ["--import", tsxLoader, "src/server.ts"]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: API_ROOT,
    env,
    stdio: logFd === undefined ? ["ignore", "inherit", "inherit"] : ["ignore", logFd, logFd],
  });
  if (logFd !== undefined) closeSync(logFd);
  if (child.pid === undefined) throw new Error("could not spawn the API");
  const pid = child.pid;
  let exitCode: number | NodeJS.Signals | null | undefined;
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.once("exit", (code, signal) => {
      exitCode = code ?? signal;
      resolve(exitCode);
    });
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  exited.then(() => process.removeListener("exit", killOnExit));

  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  let last = "no answer yet";
  while (true) {
    if (exitCode !== undefined) {
      throw new Error(`the API exited with ${String(exitCode)} before it was ready${tail(opts.logFile)}`);
    }
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) break;
      last = await res.text();
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) {
      await stopProcess(child);
      throw new Error(`the API was not ready in time (last /readyz: ${last})${tail(opts.logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const metrics = async () => {
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${await res.text()}`);
    return res.text();
  };
  return { url, metricsToken, metrics, pid, process: child, exited, stop: () => stopProcess(child) };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function tail(logFile: string | undefined): string {
  if (!logFile || !existsSync(logFile)) return "";
  const lines = readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-20);
  return `; last log lines (${logFile}):\n${lines.join("\n")}`;
}

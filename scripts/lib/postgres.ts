/**
 * Postgres for Pier: the given `DATABASE_URL`, or an embedded Postgres (real binaries from npm) with its
 * data kept in a folder of ours, run by a small process of its own (postgres-server.ts). A crash of
 * ours, or a deliberate kill -9 in chaos tests, leaves the data intact for the next start.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { stopChild } from "./chain.ts";
import { log } from "./log.ts";

export interface PostgresHandle {
  /** Connection string of the `pier` database. */
  url: string;
  /** Process id of the embedded Postgres server itself (the postmaster), undefined for an external one. */
  pid?: number;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  dataDir: string;
  port: number;
  /** Forward the embedded server's log to stderr; quiet by default. */
  verbose?: boolean;
}

const root = new URL("../..", import.meta.url).pathname;

export async function startPostgres(opts: PostgresOptions): Promise<PostgresHandle> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const args = ["--import", "tsx", "scripts/lib/postgres-server.ts", opts.dataDir, String(opts.port)];
  if (opts.verbose) args.push("--verbose");
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    if (opts.verbose) process.stderr.write(chunk);
  });
  const ready = await new Promise<{ url: string; pid?: number }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      try {
        const msg = JSON.parse(line) as { ready?: boolean; url: string; pid?: number };
        if (msg.ready) resolve(msg);
      } catch {
        // not our ready line
      }
    });
    child.once("exit", (code) =>
      reject(new Error(`embedded Postgres exited (${code}) before ready: ${stderr}`)),
    );
  });
  log("postgres", "ready", { port: opts.port, dataDir: opts.dataDir, pid: ready.pid });
  return {
    url: ready.url,
    pid: ready.pid,
    embedded: true,
    // The server process stops Postgres cleanly on SIGTERM; allow it time to checkpoint.
    stop: () => stopChild(child, 20_000),
  };
}

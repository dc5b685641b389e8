/**
 * Starts the sandbox wallet simulator (main.ts) as a child process for the dev stack and browser tests,
 * with a fresh random API key and webhook secret, and resolves once it answers. The API gets the same
 * key and secret through `env` (PIER_SANDBOX_*), so fiat wallets work with zero configuration.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const MAIN = new URL("./main.ts", import.meta.url).pathname;

export interface SandboxProcess {
  url: string;
  pid: number;
  /** PIER_SANDBOX_URL / _API_KEY / _WEBHOOK_SECRET for the API. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startSandboxProcess(opts: {
  port: number;
  webhookUrl: string;
  logFile?: string;
}): Promise<SandboxProcess> {
  const url = `http://127.0.0.1:${opts.port}`;
  const env = {
    PIER_SANDBOX_URL: url,
    PIER_SANDBOX_API_KEY: `sbx_${randomBytes(16).toString("hex")}`,
    PIER_SANDBOX_WEBHOOK_SECRET: `sbxwh_${randomBytes(16).toString("hex")}`,
  };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const fd = opts.logFile ? openSync(opts.logFile, "a") : undefined;
  const child = spawn(process.execPath, ["--import", tsx, MAIN], {
    env: { ...process.env, ...env, PIER_SANDBOX_WEBHOOK_URL: opts.webhookUrl },
    stdio: fd === undefined ? ["ignore", "inherit", "inherit"] : ["ignore", fd, fd],
  });
  if (fd !== undefined) closeSync(fd);
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the sandbox wallet exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/_control/events`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("the sandbox wallet was not ready in time");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    env,
    stop: () => stop(child).finally(() => process.removeListener("exit", kill)),
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

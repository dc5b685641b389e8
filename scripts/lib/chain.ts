/**
 * The local Hardhat chain as a child process: `hardhat node` on loopback, ready when it answers
 * eth_chainId. Its stdout (one line per RPC call) goes to a log file, not the terminal.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { log } from "./log.ts";
import { assertPortsFree, waitFor } from "./ports.ts";

export interface ChainHandle {
  rpcUrl: string;
  chainId: number;
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

export async function startChain({
  port,
  logFile,
  chainId: wantChainId,
}: {
  port: number;
  logFile: string;
  /** Another chain id than Hardhat's 31337 (a second "network" for multi-chain tests). */
  chainId?: number;
}): Promise<ChainHandle> {
  await assertPortsFree({ chain: port });
  const root = new URL("../..", import.meta.url).pathname;
  // hardhat's package exports hide its CLI file; the bin entry is this path.
  const cli = join(root, "node_modules/hardhat/dist/src/cli.js");
  // A config of its own (chain.config.ts says why), so a start does not parse the contracts' build infos.
  const config = join(root, "scripts/lib/chain.config.ts");
  const args = [cli, "--config", config, "node", "--hostname", "127.0.0.1", "--port", String(port)];
  if (wantChainId !== undefined) args.push("--chain-id", String(wantChainId));
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = createWriteStream(logFile, { flags: "a" });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const rpcUrl = `http://127.0.0.1:${port}`;
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  // Ready only once this child says it listens on the port: an answer on the port alone could come from
  // another process's node that got the same port (it would then be that chain we deploy to).
  const listening = `server at ${rpcUrl}/`;
  let listens = false;
  let tail = ""; // the line may arrive split over two chunks
  const watchOutput = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-4_096);
    if (!tail.includes(listening)) return;
    listens = true;
    child.stdout.off("data", watchOutput);
  };
  child.stdout.on("data", watchOutput);
  const chainId = await waitFor(
    "hardhat node",
    async () => {
      if (exited) throw new Error(`hardhat node exited early; see ${logFile}`);
      if (!listens) return false;
      return Number.parseInt(await rpc<string>(rpcUrl, "eth_chainId"), 16);
    },
    // Hardhat's start is CPU-bound (config, plugins, EDR): generous for a busy two-core machine.
    { timeoutMs: 120_000 },
  );
  log("chain", "ready", { rpcUrl, chainId, pid: child.pid });
  return {
    rpcUrl,
    chainId,
    pid: child.pid!,
    process: child,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL if the child has not exited within `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

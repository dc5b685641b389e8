/** Free loopback ports for tests that start their own servers side by side. */
import { mkdirSync, readdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Where processes on this machine note the ports freePort() has handed out, one empty file per port. The
 * kernel may give the same free port to two test workers a moment apart (it is free until one of them
 * binds it, a Hardhat or Ponder boot later): both would then start a server on it, and the loser's
 * readiness check would talk to the winner's server and take it for its own (a stack once deployed its
 * contracts to another test file's chain that way). A port is handed out once per CLAIM_MS. One folder
 * per user, so each can write to theirs.
 */
export const PORT_CLAIMS_DIR = join(tmpdir(), `pier-port-claims-${process.getuid?.() ?? "user"}`);
/** Long enough for any server to have bound its port; after that the kernel will not hand it out. */
const CLAIM_MS = 10 * 60_000;

/** A port the kernel says is free now (bound to 0, then released). */
export function kernelFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

/** Claims `port` for this caller: false when any process on this machine claimed it within CLAIM_MS. */
export function claimPort(port: number, dir = PORT_CLAIMS_DIR): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, String(port)), "", { flag: "wx" }); // exclusive: one process wins
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return false;
  }
}

/** When this process last expired old claims: once a minute is plenty, and each pass reads every claim. */
let expiredAt = Number.NEGATIVE_INFINITY;

/**
 * The file system's clock: the modification time of a file written now. Claims are dated by it, not by
 * Date.now(): the test suites run under a shifted clock (faketime), which Node's Date.now() follows and
 * the times Node reads from the file system do not, so only this clock agrees with a claim's date.
 */
export function fileSystemNow(dir = PORT_CLAIMS_DIR): number {
  const probe = join(dir, `.now-${process.pid}`);
  writeFileSync(probe, "");
  const now = statSync(probe).mtimeMs;
  unlinkSync(probe);
  return now;
}

/** Removes claims older than CLAIM_MS (by the file system's clock), so their ports can be handed out again. */
export function expireClaims(dir = PORT_CLAIMS_DIR, now = fileSystemNow(dir)): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".")) continue;
    try {
      if (now - statSync(join(dir, name)).mtimeMs > CLAIM_MS) unlinkSync(join(dir, name));
    } catch {
      // Another process expired it first.
    }
  }
}

/**
 * A free loopback port that no other caller on this machine got in the last CLAIM_MS. `pick` is where
 * candidates come from (the kernel; a test passes its own).
 */
export async function freePort(
  pick: () => Promise<number> = kernelFreePort,
  dir = PORT_CLAIMS_DIR,
): Promise<number> {
  mkdirSync(dir, { recursive: true });
  if (performance.now() - expiredAt > 60_000) {
    expiredAt = performance.now();
    expireClaims(dir);
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await pick();
    if (claimPort(port, dir)) return port;
  }
  throw new Error(`no free port: 100 candidates were all claimed recently (see ${dir})`);
}

/** True when nothing listens on 127.0.0.1:`port` (we could bind it ourselves). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES") resolve(false);
      else reject(error);
    });
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * Refuses to go on when any named port is taken, naming each one: a readiness check would otherwise talk
 * to whatever already listens there (another Hardhat node on 8545, say) and report it as ours.
 */
export async function assertPortsFree(ports: Record<string, number>, hint = ""): Promise<void> {
  const busy: string[] = [];
  for (const [name, port] of Object.entries(ports))
    if (!(await isPortFree(port))) busy.push(`${port} (${name})`);
  if (busy.length > 0)
    throw new Error(
      `port${busy.length > 1 ? "s" : ""} ${busy.join(", ")} already in use by another process${hint ? `; ${hint}` : ""}`,
    );
}

/** Polls `check` until it returns a value or `timeoutMs` passes; never a fixed sleep. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  { timeoutMs = 30_000, intervalMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
}

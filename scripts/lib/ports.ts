/** Free loopback ports for tests that start their own servers side by side. */
import { createServer } from "node:net";

export function freePort(): Promise<number> {
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

/** Polls until `check` returns a value, or fails after `timeoutSeconds` with what it waited for. */
import { CliError } from "./context.ts";

export async function waitUntil<T>(
  what: string,
  timeoutSeconds: number,
  check: () => Promise<T | false | undefined | null>,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (true) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new CliError(`timed out after ${timeoutSeconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

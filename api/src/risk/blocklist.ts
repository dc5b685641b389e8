/**
 * The operator's blocklist (sanctioned or known bad): a file or an http(s) URL with one entry per line
 * (`#` starts a comment): EVM addresses (payers) and IP addresses (fiat customers, who have no wallet). Reloaded without a restart: a file when its mtime
 * changes (checked at most once per `refreshMs`), a URL every `refreshMs`. A source that cannot be read
 * keeps the last good list and says so in the log; the first load failing leaves the list empty.
 */
import { readFile, stat } from "node:fs/promises";
import { isIP } from "node:net";
import type { FastifyBaseLogger } from "fastify";

export interface Blocklist {
  has(address: string): Promise<boolean>;
  /** Entries currently loaded (for metrics and tests). */
  size(): number;
}

export function parseBlocklist(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, "").trim();
    if (/^0x[0-9a-fA-F]{40}$/.test(line) || isIP(line)) out.add(line.toLowerCase());
  }
  return out;
}

export function createBlocklist(
  source: string | undefined,
  refreshMs: number,
  log: FastifyBaseLogger,
  fetchTimeoutMs = 10_000,
): Blocklist {
  let entries = new Set<string>();
  let checkedAt = 0;
  let version = "";
  let loading: Promise<void> | undefined;

  async function load(): Promise<void> {
    if (!source) return;
    try {
      if (/^https?:\/\//.test(source)) {
        const res = await fetch(source, { signal: AbortSignal.timeout(fetchTimeoutMs) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        entries = parseBlocklist(await res.text());
      } else {
        const info = await stat(source);
        const v = `${info.mtimeMs}:${info.size}`;
        if (v === version) return;
        entries = parseBlocklist(await readFile(source, "utf8"));
        version = v;
      }
      log.info({ source, entries: entries.size }, "risk blocklist loaded");
    } catch (error) {
      log.warn({ source, err: error }, "risk blocklist could not be read; keeping the previous list");
    }
  }

  async function fresh(): Promise<void> {
    if (!source || Date.now() - checkedAt < refreshMs) return;
    checkedAt = Date.now();
    loading ??= load().finally(() => {
      loading = undefined;
    });
    await loading;
  }

  return {
    async has(address) {
      await fresh();
      return entries.has(address.toLowerCase());
    },
    size: () => entries.size,
  };
}

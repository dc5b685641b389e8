/** pier status: what is running and healthy (API readiness, chain, indexer), non-zero when not all. */
import type { Command } from "commander";
import { action, apiUrl, client, emit, type Globals, rpcUrl } from "../context.ts";

interface Check {
  ok: boolean;
  detail: string;
}

export function statusCommand(program: Command): void {
  program
    .command("status")
    .description(
      "Check the API (/readyz: database, chain, indexer), the chain RPC, the indexer and the API key",
    )
    .addHelpText(
      "after",
      "\nThe indexer is read at $PIER_INDEXER_URL (default http://127.0.0.1:42069). Exits 1 when anything is down; --json for scripts.",
    )
    .action(
      action(async (_opts: unknown, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const pier = client(g, { keyless: true });
        const { chainId, latestBlock } = await import("../chain.ts");
        const checks: Record<string, Check> = {};
        try {
          const ready = await pier.health.ready({ timeoutMs: 10_000 });
          checks.api = { ok: ready.status === "ready", detail: `${apiUrl(g)} ${ready.status}` };
          for (const [name, c] of Object.entries(ready.checks))
            checks[name === "chain" ? "api_chain" : name] = {
              ok: c.ok,
              detail: c.detail ?? (c.ok ? "ok" : "down"),
            };
        } catch (error) {
          checks.api = { ok: false, detail: `${apiUrl(g)} unreachable: ${(error as Error).message}` };
        }
        try {
          const [id, block] = await Promise.all([chainId(rpcUrl(g)), latestBlock(rpcUrl(g))]);
          checks.chain = {
            ok: true,
            detail: `${rpcUrl(g)} chain ${id}, block ${block.number}, time ${new Date(block.timestamp * 1000).toISOString()}`,
          };
        } catch (error) {
          checks.chain = { ok: false, detail: (error as Error).message };
        }
        const indexerUrl = process.env.PIER_INDEXER_URL ?? "http://127.0.0.1:42069";
        try {
          const res = await fetch(`${indexerUrl}/ready`, { signal: AbortSignal.timeout(5_000) });
          checks.indexer_http = {
            ok: res.ok,
            detail: `${indexerUrl} ${res.ok ? "ready" : `answers ${res.status}`}`,
          };
        } catch {
          checks.indexer_http = { ok: false, detail: `${indexerUrl} unreachable (PIER_INDEXER_URL?)` };
        }
        if (g.apiKey ?? process.env.PIER_API_KEY) {
          try {
            const m = await client(g).merchant.retrieve({ maxRetries: 0 });
            checks.api_key = {
              ok: true,
              detail: `merchant ${m.id} "${m.name}" (${m.livemode ? "live" : "test"} mode)`,
            };
          } catch (error) {
            checks.api_key = { ok: false, detail: (error as Error).message };
          }
        }
        const ok = Object.values(checks).every((c) => c.ok);
        emit(g, { ok, checks }, [
          ...Object.entries(checks).map(
            ([name, c]) => `${c.ok ? "ok  " : "DOWN"}  ${name.padEnd(12)} ${c.detail}`,
          ),
          ok ? "everything is up" : "something is down",
        ]);
        if (!ok) process.exitCode = 1;
      }),
    );
}

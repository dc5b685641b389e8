/**
 * pier status: what is running and healthy (API readiness, each network the API serves, chain, indexer,
 * the API's transaction senders), non-zero when not all. A stuck chain transaction is named with its
 * signer, kind, id, nonce, hash and why; a chain reset the API saw (a restarted dev chain) is shown with
 * what it abandoned.
 */
import type { Readiness } from "@pier/client/types";
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
      "Check the API (/readyz: database, chain, indexer, transaction senders), the chain RPC, the indexer and the API key",
    )
    .addHelpText(
      "after",
      "\nThe indexer is read at $PIER_INDEXER_URL (default http://127.0.0.1:42069). Exits 1 when anything is down or a transaction is stuck; --json for scripts.",
    )
    .action(
      action(async (_opts: unknown, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const pier = client(g, { keyless: true });
        const { chainId, latestBlock } = await import("../chain.ts");
        const checks: Record<string, Check> = {};
        let senders: Readiness["senders"] = [];
        try {
          const ready = await pier.health.ready({ timeoutMs: 10_000 });
          // `degraded` still serves: the senders check below says what is wrong.
          checks.api = { ok: ready.status !== "not_ready", detail: `${apiUrl(g)} ${ready.status}` };
          for (const [name, c] of Object.entries(ready.checks))
            checks[name === "chain" ? "api_chain" : name] = { ok: c.ok, detail: detailOf(c) };
          // One line per network when the API serves several: one down degrades only its own orders.
          const networks = Object.entries(ready.networks ?? {});
          if (networks.length > 1)
            for (const [chainId, n] of networks)
              checks[`network_${chainId}`] = {
                ok: n.ok,
                detail: `${n.name}: chain ${detailOf(n.chain)}, indexer ${detailOf(n.indexer)}`,
              };
          senders = ready.senders ?? [];
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
        emit(g, { ok, checks, senders }, [
          ...Object.entries(checks).map(
            ([name, c]) => `${c.ok ? "ok  " : "DOWN"}  ${name.padEnd(12)} ${c.detail}`,
          ),
          ...senderLines(senders),
          ok ? "everything is up" : "something is down",
        ]);
        if (!ok) process.exitCode = 1;
      }),
    );
}

/** A readiness check's detail, or plain "ok" / "down" when it gives none. */
function detailOf(c: { ok: boolean; detail?: string }): string {
  return c.detail ?? (c.ok ? "ok" : "down");
}

/** One line per stuck transaction and per recent chain reset, under the senders check. */
function senderLines(senders: Readiness["senders"]): string[] {
  const lines: string[] = [];
  for (const s of senders) {
    const who = `${s.signer} (${s.roles.join(", ")})`;
    for (const t of s.stuck) {
      const nonce = t.nonce === null ? "no nonce yet" : `nonce ${t.nonce}`;
      const hash = t.tx_hash ? ` ${t.tx_hash}` : "";
      lines.push(
        `STUCK       ${who}: ${t.kind} ${t.id} (${t.status}, ${nonce}${hash}, ${t.age_seconds} s): ${t.reason}`,
      );
    }
    if (s.last_reset) {
      const at = new Date(s.last_reset.detected_at * 1000).toISOString();
      lines.push(
        `note        ${who}: chain reset at ${at}, genesis ${s.last_reset.previous_genesis ?? "unknown"} -> ${s.last_reset.genesis_hash}: ${s.last_reset.abandoned} open transaction(s) of the old chain abandoned (refunds failed with chain_reset)`,
      );
    }
  }
  return lines;
}

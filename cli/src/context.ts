/**
 * What every command shares: the global options (--json, --api-key, --api-url, --rpc-url) with their
 * environment fallbacks, a client, and one way to print results and fail.
 */
import { DEFAULT_BASE_URL, Pier, PierError } from "@pier/client";
import { devAdminKeyFile, readDevAdminKey } from "./devAdminKey.ts";

export interface Globals {
  json?: boolean;
  apiKey?: string;
  apiUrl?: string;
  rpcUrl?: string;
}

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";

/**
 * The dev stack's chains (./scripts/dev): chain A (31337) on 8545, chain B (1337) on 8546, as their
 * networks are named in the API ("Local A", "Local B").
 */
export const DEV_CHAINS: readonly { chainId: number; name: string; rpcUrl: string }[] = [
  { chainId: 31337, name: "Local A", rpcUrl: DEFAULT_RPC_URL },
  { chainId: 1337, name: "Local B", rpcUrl: "http://127.0.0.1:8546" },
];

/** The RPC URL given explicitly (--rpc-url, else PIER_RPC_URL), if any. */
export function explicitRpcUrl(g: Globals): string | undefined {
  return g.rpcUrl ?? (process.env.PIER_RPC_URL || undefined);
}

/** PIER_RPC_URL_<chainId> variables of the environment: chain id -> URL. */
export function perChainRpcUrls(env: NodeJS.ProcessEnv = process.env): Map<number, string> {
  const out = new Map<number, string>();
  for (const [name, value] of Object.entries(env)) {
    const m = /^PIER_RPC_URL_(\d+)$/.exec(name);
    if (m && value) out.set(Number(m[1]), value);
  }
  return out;
}

/**
 * A --network value (a chain id, or a network name such as "Local B", any case) as a chain id. `known`
 * names (the order's own network, say) are tried before the dev stack's.
 */
export function networkChainId(value: string, known: { chainId: number; name: string }[] = []): number {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const byName = [...known, ...DEV_CHAINS].find((n) => n.name.toLowerCase() === trimmed.toLowerCase());
  if (!byName)
    throw new CliError(
      `--network ${value}: not a chain id or a known network name (${DEV_CHAINS.map((n) => `${n.name} = ${n.chainId}`).join(", ")})`,
      2,
    );
  return byName.chainId;
}

/** A failure the user can fix; printed without a stack. `exitCode` 2 = bad usage. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function apiUrl(g: Globals): string {
  return g.apiUrl ?? process.env.PIER_API_URL ?? DEFAULT_BASE_URL;
}

export function rpcUrl(g: Globals): string {
  return g.rpcUrl ?? process.env.PIER_RPC_URL ?? DEFAULT_RPC_URL;
}

/** A client with the merchant key (required unless `keyless`). */
export function client(g: Globals, { keyless = false } = {}): Pier {
  const key = g.apiKey ?? process.env.PIER_API_KEY;
  if (!key && !keyless)
    throw new CliError(
      "No API key: set PIER_API_KEY (./scripts/dev prints the demo merchant's sk_test_...) or pass --api-key",
      2,
    );
  return new Pier(key || undefined, { baseUrl: apiUrl(g) });
}

/**
 * A client with the operator's admin key: PIER_ADMIN_KEY, else the one ./scripts/dev wrote for the local
 * stack (devAdminKeyFile).
 */
export function adminClient(g: Globals): Pier {
  const key = process.env.PIER_ADMIN_KEY?.trim() || readDevAdminKey();
  if (!key)
    throw new CliError(
      `No admin key: set PIER_ADMIN_KEY to the API's admin key (./scripts/dev writes its local one to ${devAdminKeyFile()})`,
      2,
    );
  return new Pier(key, { baseUrl: apiUrl(g) });
}

/** Prints `data` as JSON with --json, else the human lines. */
export function emit(g: Globals, data: unknown, human: string | string[]): void {
  if (g.json) console.log(JSON.stringify(data, null, 2));
  else console.log(Array.isArray(human) ? human.join("\n") : human);
}

/** One JSON line (for streams: listen) or a human line. */
export function emitLine(g: Globals, data: unknown, human: string): void {
  console.log(g.json ? JSON.stringify(data) : human);
}

/** Runs a command's action; any failure becomes a message on stderr (JSON with --json) and an exit code. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      const cmd = args.at(-1) as { optsWithGlobals?: () => Globals } | undefined;
      const g = cmd?.optsWithGlobals?.() ?? {};
      reportError(g, error);
      process.exitCode = error instanceof CliError ? error.exitCode : 1;
    }
  };
}

function reportError(g: Globals, error: unknown): void {
  if (error instanceof PierError) {
    const body = {
      error: {
        type: error.type,
        code: error.code,
        message: error.message,
        param: error.param,
        status: error.statusCode,
        request_id: error.requestId,
      },
    };
    if (g.json) console.error(JSON.stringify(body));
    else
      console.error(
        `error: ${error.message}` +
          [
            error.code && ` (${error.code}${error.param ? `, param ${error.param}` : ""})`,
            error.statusCode && ` [HTTP ${error.statusCode}]`,
            error.requestId && ` request ${error.requestId}`,
          ]
            .filter(Boolean)
            .join(""),
      );
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (g.json) console.error(JSON.stringify({ error: { type: "cli_error", message } }));
  else console.error(`error: ${message}`);
}

/** Build-time settings (documented in docs/configuration.md, from scripts/lib/envSchemas.ts); empty strings count as unset. */
function read(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export const env = {
  /** API origin; empty means the page's own origin. */
  apiUrl: (read(import.meta.env.VITE_PIER_API_URL) ?? "").replace(/\/+$/, ""),
  walletConnectProjectId: read(import.meta.env.VITE_WALLETCONNECT_PROJECT_ID),
  rpcUrl: read(import.meta.env.VITE_PIER_RPC_URL),
  /** Per-chain public RPC URLs (VITE_PIER_RPC_URLS, JSON {"<chainId>": "<url>"}); e.g. both dev chains. */
  rpcUrls: parseRpcUrls(read(import.meta.env.VITE_PIER_RPC_URLS)),
  explorerUrl: read(import.meta.env.VITE_PIER_EXPLORER_URL)?.replace(/\/+$/, ""),
} as const;

/**
 * Reads VITE_PIER_RPC_URLS: a JSON object from chain id to URL. Anything else (bad JSON, a key that is not
 * a chain id, a value that is not an http(s) URL) is left out with a console warning rather than breaking
 * the page: the checkout then falls back to VITE_PIER_RPC_URL or the wallet.
 */
export function parseRpcUrls(raw: string | undefined): Readonly<Record<number, string>> {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    console.warn("VITE_PIER_RPC_URLS is not JSON; ignored");
    return {};
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    console.warn('VITE_PIER_RPC_URLS must be a JSON object {"<chainId>": "<url>"}; ignored');
    return {};
  }
  const out: Record<number, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const chainId = Number(key);
    if (
      Number.isSafeInteger(chainId) &&
      chainId > 0 &&
      typeof value === "string" &&
      /^https?:\/\/\S+$/.test(value.trim())
    )
      out[chainId] = value.trim();
    else console.warn(`VITE_PIER_RPC_URLS: entry ${key} ignored (a chain id and an http(s) URL are needed)`);
  }
  return out;
}

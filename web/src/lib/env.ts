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
  explorerUrl: read(import.meta.env.VITE_PIER_EXPLORER_URL)?.replace(/\/+$/, ""),
} as const;

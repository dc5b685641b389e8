/**
 * Where the dashboard is served (PIER_DASHBOARD_URL, default PIER_CHECKOUT_BASE_URL): Sign-In with
 * Ethereum messages must name its host and origin, and passkeys are bound to its host name (the WebAuthn
 * relying party id). The API itself sits behind that origin (the web server proxies /v1), so its session
 * cookie is first-party.
 */
export interface DashboardOrigin {
  /** scheme://host[:port], e.g. http://localhost:5173 */
  origin: string;
  /** host[:port]: the SIWE `domain`. */
  domain: string;
  /** The host name: the WebAuthn relying party id. */
  rpId: string;
  secure: boolean;
}

export function dashboardOrigin(url: string): DashboardOrigin {
  const parsed = new URL(url);
  return {
    origin: parsed.origin,
    domain: parsed.host,
    rpId: parsed.hostname,
    secure: parsed.protocol === "https:",
  };
}

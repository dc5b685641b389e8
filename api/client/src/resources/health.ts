/**
 * /healthz and /readyz: is the API up, are its database, chain and indexer usable, and are its chain
 * transaction senders moving (`degraded` when one is stuck; see `senders`).
 */
import { call } from "../call.ts";
import { ApiError } from "../errors.ts";
import type { RequestOptions, Transport } from "../transport.ts";
import type { Readiness } from "../types.ts";

export class Health {
  constructor(private readonly t: Transport) {}

  /** Liveness: `{ status: "ok" }`. */
  live(opts?: RequestOptions) {
    return call<{ status: "ok" }>(this.t, { method: "GET", path: "/healthz" }, { apiKey: null, ...opts });
  }

  /** Readiness with each check; a 503 (not ready) is returned as a value, not thrown; `degraded` is a 200. */
  async ready(opts?: RequestOptions): Promise<Readiness> {
    try {
      return await call<Readiness>(
        this.t,
        { method: "GET", path: "/readyz" },
        { apiKey: null, maxRetries: 0, ...opts },
      );
    } catch (error) {
      const raw = error instanceof ApiError && error.statusCode === 503 ? error.raw : undefined;
      if (raw && typeof raw === "object" && "checks" in raw) return raw as Readiness;
      throw error;
    }
  }
}

/**
 * HTTP to the sandbox wallet: Bearer key, JSON bodies, an Idempotency-Key on every POST, and its error
 * body `{ error: { type, code, message, param } }` mapped to typed fiat errors.
 */
import {
  type FiatError,
  type FiatErrorInit,
  PaymentDeclinedError,
  ProviderAuthenticationError,
  ProviderIdempotencyError,
  ProviderNotFoundError,
  ProviderProtocolError,
  ProviderRateLimitError,
  ProviderStateError,
  ProviderUnavailableError,
  ProviderValidationError,
  RefundExceedsCaptureError,
  SessionNotApprovedError,
} from "../errors.ts";
import { httpJson } from "../httpJson.ts";
import type { SandboxConfig } from "./config.ts";

interface WireError {
  type?: string;
  code?: string;
  message?: string;
  param?: string;
}

export class SandboxTransport {
  constructor(private readonly config: SandboxConfig & { fetch?: typeof fetch }) {}

  async request<T>(
    method: "GET" | "POST",
    path: string,
    opts: { body?: unknown; idempotencyKey?: string } = {},
  ): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.apiKey}`,
      accept: "application/json",
    };
    if (method === "POST") {
      headers["content-type"] = "application/json";
      if (!opts.idempotencyKey) throw new Error(`sandbox POST ${path} needs an idempotency key`);
      headers["idempotency-key"] = opts.idempotencyKey;
    }
    const res = await httpJson("sandbox", `${this.config.baseUrl}${path}`, {
      method,
      headers,
      body: method === "POST" ? JSON.stringify(opts.body ?? {}) : undefined,
      timeoutMs: this.config.timeoutMs,
      fetch: this.config.fetch,
    });
    if (res.status >= 200 && res.status < 300) {
      if (res.body === undefined)
        throw new ProviderProtocolError({ provider: "sandbox", message: "empty or non-JSON body" });
      return res.body as T;
    }
    throw mapSandboxError(res.status, (res.body as { error?: WireError } | undefined)?.error);
  }
}

export function mapSandboxError(status: number, error: WireError | undefined): FiatError {
  const init: FiatErrorInit = {
    provider: "sandbox",
    message: error?.message ?? `sandbox wallet answered HTTP ${status}`,
    providerCode: error?.code,
    providerStatus: status,
    param: error?.param,
  };
  if (status === 401 || status === 403) return new ProviderAuthenticationError(init);
  if (status === 404) return new ProviderNotFoundError(init);
  if (status === 402) return new PaymentDeclinedError(init);
  if (status === 429) return new ProviderRateLimitError(init);
  if (status >= 500) return new ProviderUnavailableError(init);
  if (error?.type === "idempotency_error") return new ProviderIdempotencyError(init);
  if (error?.code === "session_not_approved") return new SessionNotApprovedError(init);
  if (error?.code === "refund_exceeds_capture") return new RefundExceedsCaptureError(init);
  if (status === 409) return new ProviderStateError(init);
  if (status === 400 || status === 422) return new ProviderValidationError(init);
  return new ProviderProtocolError(init);
}

/**
 * One HTTP request to the API, with the client's policies: bearer key, timeout, an Idempotency-Key on
 * every POST, and automatic retries of safe requests (GET, and POSTs carrying an Idempotency-Key, which
 * the API replays instead of repeating) on network errors, 408, 409 `idempotency_key_in_use`, 429 and
 * 5xx, with exponential backoff and jitter that honours Retry-After.
 */
import { randomUUID } from "node:crypto";
import {
  ConnectionError,
  errorFromResponse,
  IdempotencyError,
  type PierError,
  TimeoutError,
} from "./errors.ts";

export const VERSION = "0.1.0";
export const DEFAULT_BASE_URL = "http://127.0.0.1:4000";

export interface ClientOptions {
  /** Default http://127.0.0.1:4000 (the local stack of ./scripts/dev). */
  baseUrl?: string;
  /** Per attempt, in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Retries after the first attempt for safe requests (default 2; 0 turns retries off). */
  maxRetries?: number;
  /** Backoff before retry n (1-based): min(maxDelayMs, initialDelayMs * 2^(n-1)), jittered 50-100 %. */
  initialRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** The longest Retry-After the client waits for before giving up (default 60 s). */
  maxRetryAfterMs?: number;
  /** Sent on every request (e.g. a `User-Agent` suffix of your own). */
  headers?: Record<string, string>;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  /** For POSTs; one is generated when absent, so a retried POST is never applied twice. */
  idempotencyKey?: string;
  /** Overrides the client's key for this call (e.g. the admin key), or `null` for no key. */
  apiKey?: string | null;
  timeoutMs?: number;
  maxRetries?: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface Request {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
}

export interface ResponseInfo {
  statusCode: number;
  requestId?: string;
  headers: Record<string, string>;
  /** Attempts made (1 when the first one answered). */
  attempts: number;
  idempotencyKey?: string;
}

export interface Transport {
  request<T>(req: Request, opts?: RequestOptions): Promise<{ body: T; response: ResponseInfo }>;
  readonly baseUrl: string;
}

export function createTransport(apiKey: string | undefined, options: ClientOptions = {}): Transport {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch;
  const policy = {
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 2,
    initialDelayMs: options.initialRetryDelayMs ?? 500,
    maxDelayMs: options.maxRetryDelayMs ?? 8_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
  };

  async function request<T>(
    req: Request,
    opts: RequestOptions = {},
  ): Promise<{ body: T; response: ResponseInfo }> {
    const key = opts.apiKey === undefined ? apiKey : opts.apiKey;
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": `pier-client/${VERSION} node/${process.versions.node}`,
      ...options.headers,
      ...opts.headers,
    };
    if (key) headers.authorization = `Bearer ${key}`;
    let payload: string | undefined;
    if (req.method === "POST" || req.method === "PUT") {
      payload = JSON.stringify(req.body ?? {});
      headers["content-type"] = "application/json";
    }
    if (req.method === "POST")
      headers["idempotency-key"] = opts.idempotencyKey ?? `pier-client-${randomUUID()}`;
    const idempotencyKey = headers["idempotency-key"];
    const retryable = req.method === "GET" || idempotencyKey !== undefined;
    const maxRetries = retryable ? (opts.maxRetries ?? policy.maxRetries) : 0;
    const url = baseUrl + req.path + queryString(req.query);

    for (let attempt = 1; ; attempt++) {
      let outcome: { error: PierError; retry: boolean; delayMs?: number };
      try {
        const res = await doFetch(url, {
          method: req.method,
          headers,
          body: payload,
          signal: anySignal(opts.signal, AbortSignal.timeout(opts.timeoutMs ?? policy.timeoutMs)),
        });
        const resHeaders = Object.fromEntries(res.headers);
        const text = await res.text();
        // JSON normally; other bodies (CSV reports) are returned as text.
        const json = /json/.test(resHeaders["content-type"] ?? "json");
        const body = json ? parseJson(text) : text;
        const response: ResponseInfo = {
          statusCode: res.status,
          requestId: resHeaders["request-id"],
          headers: resHeaders,
          attempts: attempt,
          idempotencyKey,
        };
        if (res.ok) return { body: body as T, response };
        const error = errorFromResponse(res.status, body ?? text, resHeaders);
        outcome = { error, retry: shouldRetry(res.status, error), delayMs: retryAfterMs(resHeaders) };
      } catch (cause) {
        if (opts.signal?.aborted) throw cause;
        const timedOut = cause instanceof Error && cause.name === "TimeoutError";
        const Class = timedOut ? TimeoutError : ConnectionError;
        outcome = {
          error: new Class({
            type: "connection_error",
            message: timedOut
              ? `${req.method} ${req.path}: no answer within ${opts.timeoutMs ?? policy.timeoutMs} ms`
              : `${req.method} ${req.path}: could not reach the Pier API at ${baseUrl} (${errorText(cause)})`,
            cause,
          }),
          retry: true,
        };
      }
      if (!outcome.retry || attempt > maxRetries) throw outcome.error;
      if (outcome.delayMs !== undefined && outcome.delayMs > policy.maxRetryAfterMs) throw outcome.error;
      await sleep(outcome.delayMs ?? backoff(attempt, policy.initialDelayMs, policy.maxDelayMs), opts.signal);
    }
  }

  return { request, baseUrl };
}

function shouldRetry(status: number, error: PierError): boolean {
  if (status === 409) return error instanceof IdempotencyError && error.code === "idempotency_key_in_use";
  return status === 408 || status === 429 || status >= 500;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
function retryAfterMs(headers: Record<string, string>): number | undefined {
  const value = headers["retry-after"];
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function backoff(attempt: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
  return ceiling * (0.5 + Math.random() / 2);
}

/** `a[b]=c` brackets for nested objects (the API's filters: created[gte], metadata[key]). */
function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  const add = (prefix: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) add(`${prefix}[${k}]`, v);
    } else if (Array.isArray(value)) {
      for (const v of value) params.append(prefix, String(v));
    } else {
      params.append(prefix, String(value));
    }
  };
  for (const [k, v] of Object.entries(query)) add(k, v);
  const s = params.toString();
  return s ? `?${s}` : "";
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorText(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = (cause.cause as { code?: string; message?: string } | undefined) ?? {};
  return inner.code ?? inner.message ?? cause.message;
}

function anySignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  return a ? AbortSignal.any([a, b]) : b;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

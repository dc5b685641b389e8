/** A tiny HTTP client for tests: JSON in and out, the status and headers kept. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely
type Json = any;

export interface ApiResponse {
  status: number;
  body: Json;
  headers: Headers;
}

export interface ApiClient {
  url: string;
  get(path: string, opts?: RequestOpts): Promise<ApiResponse>;
  post(path: string, body?: unknown, opts?: RequestOpts): Promise<ApiResponse>;
  delete(path: string, opts?: RequestOpts): Promise<ApiResponse>;
  withKey(key: string | undefined): ApiClient;
}

export interface RequestOpts {
  idempotencyKey?: string;
  headers?: Record<string, string>;
  rawBody?: string;
}

export function apiClient(url: string, key?: string): ApiClient {
  async function request(
    method: string,
    path: string,
    body: unknown,
    opts: RequestOpts = {},
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    if (key) headers.authorization = `Bearer ${key}`;
    if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
    let payload: string | undefined = opts.rawBody;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers["content-type"] ??= "application/json";
    const res = await fetch(`${url}${path}`, { method, headers, body: payload });
    const text = await res.text();
    let parsed: Json = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed, headers: res.headers };
  }
  return {
    url,
    get: (path, opts) => request("GET", path, undefined, opts),
    post: (path, body, opts) => request("POST", path, body ?? {}, opts),
    delete: (path, opts) => request("DELETE", path, undefined, opts),
    withKey: (other) => apiClient(url, other),
  };
}

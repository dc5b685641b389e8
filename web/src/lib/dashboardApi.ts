/**
 * The dashboard's calls to the API on its own origin, authenticated by the HttpOnly session cookie:
 * JSON in and out, the session's CSRF token on every unsafe request, an Idempotency-Key on every POST,
 * and errors as DashboardApiError with the API's code. A 403 `step_up_required` is handed to the
 * registered step-up (a passkey prompt) and the request is sent once more. The shapes of what it sends
 * and gets are the API's own, generated from its OpenAPI document: @pier/client/types.
 */
import { env } from "./env.ts";

export class DashboardApiError extends Error {
  override name = "DashboardApiError";
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly param?: string,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
let stepUp: (() => Promise<void>) | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** What to do when the API asks for a passkey step-up (resolves once the session is stepped up). */
export function setStepUpHandler(handler: (() => Promise<void>) | undefined): void {
  stepUp = handler;
}

type Method = "GET" | "POST" | "DELETE";

async function send<T>(method: Method, path: string, body: unknown, idempotencyKey?: string): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
  let res: Response;
  try {
    res = await fetch(`${env.apiUrl}${path}`, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new DashboardApiError(
      "We could not reach the Pier API. Check your connection.",
      undefined,
      undefined,
    );
  }
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (res.ok) return parsed as T;
  const error = (parsed as { error?: { code?: string; message?: string; param?: string } } | undefined)
    ?.error;
  throw new DashboardApiError(
    error?.message ?? `The API answered ${res.status}`,
    res.status,
    error?.code,
    error?.param,
  );
}

export async function apiRequest<T>(method: Method, path: string, body?: unknown): Promise<T> {
  // One key for the request and its retry after a step-up: the API runs it at most once.
  const key = method === "POST" ? crypto.randomUUID() : undefined;
  try {
    return await send<T>(method, path, method === "POST" ? (body ?? {}) : body, key);
  } catch (error) {
    if (error instanceof DashboardApiError && error.code === "step_up_required" && stepUp) {
      await stepUp();
      return send<T>(method, path, method === "POST" ? (body ?? {}) : body, key);
    }
    throw error;
  }
}

export const apiGet = <T>(path: string) => apiRequest<T>("GET", path);
export const apiPost = <T>(path: string, body?: unknown) => apiRequest<T>("POST", path, body);
export const apiDelete = <T>(path: string) => apiRequest<T>("DELETE", path);

/** Describes an error for the page: the API's own message, or a short fallback. */
export function errorText(error: unknown): string {
  if (error instanceof DashboardApiError) return error.message;
  if (error instanceof Error && error.name === "NotAllowedError") {
    return "The passkey prompt was dismissed or timed out. Try again.";
  }
  return error instanceof Error ? error.message : "Something went wrong. Try again.";
}

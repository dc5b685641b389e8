/** Runs one request and returns its body with the response's details attached (not enumerable). */
import type { Request, RequestOptions, ResponseInfo, Transport } from "./transport.ts";

/** An API object plus `lastResponse`: status, Request-Id, headers, attempts. */
export type WithResponse<T> = T & { readonly lastResponse: ResponseInfo };

export async function call<T>(
  transport: Transport,
  req: Request,
  opts?: RequestOptions,
): Promise<WithResponse<T>> {
  const { body, response } = await transport.request<T>(req, opts);
  if (typeof body === "string") return body as unknown as WithResponse<T>;
  const out = (body ?? {}) as T & object;
  Object.defineProperty(out, "lastResponse", { value: response, enumerable: false });
  return out as WithResponse<T>;
}

/** A path segment from an id, escaped. */
export const seg = (id: string) => encodeURIComponent(id);

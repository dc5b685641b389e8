/**
 * fetch with a timeout for the hand-written provider transports (sandbox, PayPal): returns status,
 * headers and the parsed JSON body (undefined when the body is not JSON); a network failure or timeout
 * becomes ProviderUnavailableError, so transports only map HTTP statuses.
 */
import { ProviderUnavailableError } from "./errors.ts";
import type { FiatProviderName } from "./provider.ts";

export interface HttpJsonResult {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function httpJson(
  provider: FiatProviderName,
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    timeoutMs: number;
    fetch?: typeof fetch;
  },
): Promise<HttpJsonResult> {
  let res: Response;
  let text: string;
  try {
    res = await (init.fetch ?? fetch)(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    text = await res.text();
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new ProviderUnavailableError({
      provider,
      message: timedOut
        ? `${provider} did not answer within ${init.timeoutMs} ms (${init.method} ${new URL(url).pathname})`
        : `${provider} could not be reached (${init.method} ${new URL(url).pathname})`,
      cause: error,
    });
  }
  let body: unknown;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  return { status: res.status, headers: res.headers, body };
}

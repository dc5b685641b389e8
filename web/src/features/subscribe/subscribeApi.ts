/**
 * The three public routes of a subscription's hosted page (api/docs/subscriptions.md): read it, get the
 * spend permission to sign, authorize it with the signature. Errors carry the API's status and code, and
 * a 404 says in words that the subscription does not exist.
 */
import type {
  AuthorizeSubscriptionParams,
  CheckoutSubscription,
  RequestSubscriptionPermissionParams,
  SubscriptionPermission,
} from "@pier/client/types";
import { env } from "../../lib/env.ts";

export class SubscribeApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = "SubscribeApiError";
  }
}

async function call<T>(path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${env.apiUrl}/v1/checkout_subscriptions/${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new SubscribeApiError(
      "The payment service did not answer. Check your connection and try again.",
      0,
    );
  }
  const json = (await res.json().catch(() => undefined)) as
    | { error?: { message?: string; code?: string } }
    | undefined;
  if (res.status === 404)
    throw new SubscribeApiError("We could not find this subscription.", 404, "not_found");
  if (!res.ok) {
    throw new SubscribeApiError(
      json?.error?.message ?? `The payment service answered ${res.status}. Try again.`,
      res.status,
      json?.error?.code,
    );
  }
  return json as T;
}

export const getSubscription = (id: string) => call<CheckoutSubscription>(encodeURIComponent(id));

export const requestPermission = (id: string, body: RequestSubscriptionPermissionParams) =>
  call<SubscriptionPermission>(`${encodeURIComponent(id)}/permission`, body);

export const authorizeSubscription = (id: string, body: AuthorizeSubscriptionParams) =>
  call<unknown>(`${encodeURIComponent(id)}/authorize`, body);

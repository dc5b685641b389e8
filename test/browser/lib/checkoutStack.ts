/**
 * Everything a checkout page needs, for one browser test file: the shared harness's stack (Postgres,
 * chain, escrow + token, indexer), the API on top of it with a seeded merchant and secret key, and the
 * built web app served on 127.0.0.1 with /v1 proxied to the API. `stop()` ends all of it, newest first.
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ApiHandle } from "../../../api/lib/start.ts";
import { devAccount } from "../../../contracts/lib/accounts.ts";
import { freePort } from "../../../scripts/lib/ports.ts";
import { startApiOn } from "../../harness/apiStack.ts";
import { type Stack, startStack } from "../../harness/stack.ts";
import { serveWeb, type WebServer } from "./webServer.ts";

export interface CreateOrderBody {
  amount?: string;
  fiat_amount?: string;
  fiat_currency?: string;
  description?: string;
  expires_at?: number;
  escrow_period?: number;
  success_url?: string;
  cancel_url?: string;
  /** Chain id of the network the order is paid on (default: the first). */
  network?: number;
  /** Address of the token on `network`. */
  token?: string;
  /** Where the customer may pay (default: every network and token the API serves). */
  accept?: { network: number; token?: string }[];
}

export interface CheckoutStack {
  stack: Stack;
  api: ApiHandle;
  web: WebServer;
  merchantName: string;
  /** POST /v1/orders as the seeded merchant; returns the API's order object. */
  createOrder(
    body?: CreateOrderBody,
  ): Promise<{ id: string; status: string; expires_at: number; [k: string]: unknown }>;
  /** POST /v1/orders/:id/cancel as the merchant. */
  cancelOrder(id: string): Promise<void>;
  /** GET /v1/checkout/:id (public). */
  checkout(id: string): Promise<{ status: string; [k: string]: unknown }>;
  /** The order's events as the merchant sees them (GET /v1/events?order=), oldest first. */
  events(orderId: string): Promise<{ type: string; data: { object: Record<string, unknown> } }[]>;
  checkoutUrl(id: string, query?: string): string;
  /** A merchant API call with the seeded merchant's key (POST when `body` is given); throws on a non-2xx. */
  merchant<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T>;
  /** The hosted page of a subscription (/s/:id). */
  subscribeUrl(id: string): string;
  stop(): Promise<void>;
}

async function json<T>(res: Response, what: string): Promise<T> {
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${what}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * `secondChain`: a second local chain (1337), the API serving both ("Local A" 31337 first, "Local B").
 * `tokenModels`: the USDC-, EURC-, USDT- and DAI-like tokens deployed too. `networks`: the API's networks
 * file (PIER_NETWORKS_FILE) made from the stack, e.g. to serve the DAI-like token.
 */
export async function startCheckoutStack({
  webDir,
  secondChain = false,
  tokenModels = false,
  networks,
  env = {},
}: {
  webDir: string;
  /** More API settings, e.g. PIER_KEEPER_INTERVAL_MS to charge subscriptions sooner. */
  env?: Record<string, string>;
  secondChain?: boolean;
  tokenModels?: boolean;
  networks?: (stack: Stack) => { networks: Record<string, unknown>[] };
}): Promise<CheckoutStack> {
  const stack = await startStack({ secondChain, tokenModels });
  const stops: (() => Promise<void>)[] = [() => stack.stop()];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };
  try {
    const adminKey = `admin_${randomBytes(16).toString("hex")}`;
    const webPort = await freePort();
    const networksFile = networks ? join(stack.dir, "networks-checkout.json") : undefined;
    if (networksFile && networks) await writeFile(networksFile, JSON.stringify(networks(stack)));
    const api = await startApiOn(stack, {
      ...(networksFile && { PIER_NETWORKS_FILE: networksFile }),
      PIER_ADMIN_KEY: adminKey,
      PIER_LOG_LEVEL: "warn",
      PIER_CHECKOUT_BASE_URL: `http://127.0.0.1:${webPort}`,
      PIER_RATE_LIMIT_MAX: "10000",
      ...env,
    });
    stops.push(() => api.stop());
    const web = await serveWeb({ dir: webDir, apiUrl: api.url });
    stops.push(() => web.stop());

    const merchantName = "Harbor Coffee Roasters";
    const seeded = await json<{ secret_key: string }>(
      await fetch(`${api.url}/v1/admin/merchants`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
        body: JSON.stringify({ name: merchantName, payout_address: devAccount("merchant").address }),
      }),
      "create merchant",
    );
    const auth = { authorization: `Bearer ${seeded.secret_key}` };

    return {
      stack,
      api,
      web,
      merchantName,
      async createOrder(body = {}) {
        return json(
          await fetch(`${api.url}/v1/orders`, {
            method: "POST",
            headers: { ...auth, "content-type": "application/json" },
            body: JSON.stringify({
              ...(body.fiat_amount === undefined ? { amount: "10000000" } : {}),
              description: "1 kg espresso beans",
              ...body,
            }),
          }),
          "create order",
        );
      },
      async cancelOrder(id) {
        await json(
          await fetch(`${api.url}/v1/orders/${id}/cancel`, { method: "POST", headers: auth }),
          "cancel order",
        );
      },
      async checkout(id) {
        return json(await fetch(`${api.url}/v1/checkout/${id}`), "checkout");
      },
      async events(orderId) {
        const page = await json<{ data: { type: string; data: { object: Record<string, unknown> } }[] }>(
          await fetch(`${api.url}/v1/events?order=${orderId}&limit=100`, { headers: auth }),
          "events",
        );
        return page.data.reverse();
      },
      checkoutUrl(id, query) {
        return `${web.url}/pay/${id}${query ? `?${query}` : ""}`;
      },
      async merchant<T>(path: string, body?: unknown) {
        const res = await fetch(`${api.url}${path}`, {
          method: body === undefined ? "GET" : "POST",
          headers: body === undefined ? auth : { ...auth, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return json<T>(res, path);
      },
      subscribeUrl(id) {
        return `${web.url}/s/${id}`;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

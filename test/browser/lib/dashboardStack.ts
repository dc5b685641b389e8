/**
 * The real stack for dashboard browser tests: the shared harness (Postgres, chain, escrow + token,
 * indexer), the API with a merchant owned by the dev `merchant` account, and the built web app. The
 * dashboard is opened on http://localhost:<port> (passkeys need a domain name, not an IP; localhost is a
 * secure context), and the API is told so (PIER_DASHBOARD_URL), so SIWE and WebAuthn check that origin.
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ApiHandle } from "../../../api/lib/start.ts";
import { devAccount } from "../../../contracts/lib/accounts.ts";
import { type PaymentTermsJson, paymentTermsFromJson } from "../../../contracts/lib/termsJson.ts";
import { freePort } from "../../../scripts/lib/ports.ts";
import { startApiOn } from "../../harness/apiStack.ts";
import { type Stack, startStack } from "../../harness/stack.ts";
import { serveWeb, type WebServer } from "./webServer.ts";

export interface DashboardStack {
  stack: Stack;
  api: ApiHandle;
  web: WebServer;
  /** http://localhost:<web port> */
  dashboardOrigin: string;
  merchantId: string;
  secretKey: string;
  /** The API's PIER_ADMIN_KEY (operator routes: sign-in links, merchants). */
  adminKey: string;
  /** A JSON call to the API with the merchant's secret key (or another bearer). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely
  call(method: string, path: string, body?: unknown, bearer?: string): Promise<{ status: number; body: any }>;
  /**
   * Creates an order (10 tUSDC, or `body`'s amount and token) and pays it (customer, approve + pay);
   * resolves once the API says `escrowed`.
   */
  escrowedOrder(description: string, body?: { amount: string; token: string }): Promise<{ id: string }>;
  stop(): Promise<void>;
}

export async function startDashboardStack({ webDir }: { webDir: string }): Promise<DashboardStack> {
  // The local chain's tokens include an 18-decimal DAI-like beside the 6-decimal test token, both
  // accepted by the API (networks.json), so analytics show each token in its own decimals.
  const stack = await startStack({ tokenModels: true });
  const networksFile = join(stack.dir, "networks.json");
  await writeFile(
    networksFile,
    JSON.stringify({
      networks: [
        {
          chain_id: stack.deployment.chainId,
          name: "Local",
          rpc_urls: [stack.chain.rpcUrl],
          deployment_file: stack.deploymentFile,
          tokens: [
            { address: stack.deployment.contracts.TestStablecoin!.address },
            { address: stack.deployment.contracts.DaiLike!.address, methods: ["dai_permit", "allowance"] },
          ],
        },
      ],
    }),
  );
  const stops: (() => Promise<void>)[] = [() => stack.stop()];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };
  try {
    const adminKey = `admin_${randomBytes(16).toString("hex")}`;
    const apiPort = await freePort();
    // The web server only needs the API's address when it proxies a request: start it first to know
    // its port, which the API must name as the dashboard origin.
    const web = await serveWeb({ dir: webDir, apiUrl: `http://127.0.0.1:${apiPort}` });
    stops.push(() => web.stop());
    const dashboardOrigin = web.url.replace("127.0.0.1", "localhost");
    const api = await startApiOn(
      stack,
      {
        PIER_ADMIN_KEY: adminKey,
        PIER_LOG_LEVEL: "warn",
        PIER_CHECKOUT_BASE_URL: dashboardOrigin,
        PIER_DASHBOARD_URL: dashboardOrigin,
        PIER_RATE_LIMIT_MAX: "10000",
        PIER_SYNC_INTERVAL_MS: "100",
        // Subscriptions are charged on the keeper's beat: within a second, not the default 15 s.
        PIER_KEEPER_INTERVAL_MS: "1000",
        PIER_NETWORKS_FILE: networksFile,
      },
      apiPort,
    );
    stops.push(() => api.stop());

    async function call(method: string, path: string, body?: unknown, bearer?: string) {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${bearer ?? secretKey}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    }

    let secretKey = adminKey;
    const seeded = await call(
      "POST",
      "/v1/admin/merchants",
      { name: "Harbor Coffee Roasters", payout_address: devAccount("merchant").address },
      adminKey,
    );
    if (seeded.status !== 200) throw new Error(`create merchant: ${JSON.stringify(seeded.body)}`);
    secretKey = seeded.body.secret_key;

    return {
      stack,
      api,
      web,
      dashboardOrigin,
      merchantId: seeded.body.merchant.id,
      secretKey,
      adminKey,
      call,
      async escrowedOrder(description, body?: { amount: string; token: string }) {
        const created = await call("POST", "/v1/orders", { amount: "10000000", ...body, description });
        if (created.status !== 200) throw new Error(`create order: ${JSON.stringify(created.body)}`);
        await stack.pay.payByAllowance(paymentTermsFromJson(created.body.terms as PaymentTermsJson));
        const deadline = Date.now() + 60_000;
        for (;;) {
          const got = await call("GET", `/v1/orders/${created.body.id}`);
          if (got.body.status === "escrowed") return { id: created.body.id };
          if (Date.now() > deadline) throw new Error(`order stuck in ${got.body.status}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

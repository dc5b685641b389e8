/**
 * Load: N checkouts (default 200) paid at once by N scripted wallets (half EIP-2612 permit, half ERC-3009
 * authorization, each funded from the deployer), while merchants list their orders and refund some. No
 * request may fail and no event may be lost: every paid order's `order.escrowed` and every refund's
 * `refund.succeeded` must reach the merchants' webhook receiver. Writes bench-results/load.json with the
 * API's throughput and p99, and payment-to-webhook latency; exits non-zero on any error or lost event.
 * Not part of ./scripts/test.
 *
 *   pnpm exec tsx scripts/benchmarks/load.ts [--checkouts 200] [--merchants 4] [--refunds 20] [--block-ms 0]
 *     [--pay-over <seconds>]
 *
 * --pay-over S: the payments start evenly over S seconds (default 60 with --block-ms, else 0: all at once).
 *
 * --block-ms N: the chain mines a block every N ms holding whatever is pending,
 * like a real chain, instead of one block per transaction (Hardhat's automine: 200 blocks in ~3 s, far
 * more than any real chain makes, which the indexer's RPC budget cannot keep up with). Results then go
 * to bench-results/load-block<N>ms[-poll].json; the default run keeps writing load.json.
 *
 * --new-blocks ws|poll: how the indexer learns of blocks. With --block-ms the default is `ws` (an
 * eth_subscribe newHeads subscription, as on a real chain; PIER_WS_URL); `poll` is Ponder's polling of
 * eth_getBlockByNumber("latest", full transactions) every 100 ms, which on Hardhat takes ~170 ms per
 * busy block, so the polls overlap and queue up (measured: 479 calls, 82 s of RPC for 200 payments).
 * Automine keeps polling (the local default; see indexer/lib/config.ts).
 *
 * The JSON's `indexer_whole_run` is the indexer's own account (Ponder's metrics): RPC calls and seconds
 * by method, indexing-function and database seconds.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { ApiHandle } from "../../api/lib/start.ts";
import { paymentIdOf } from "../../contracts/lib/terms.ts";
import { startApiOn } from "../../test/harness/apiStack.ts";
import { evmSetAutomine } from "../../test/harness/payments.ts";
import { type CheckoutLike, fundWallets, payCheckout } from "../../test/harness/scriptedWallets.ts";
import { startStack } from "../../test/harness/stack.ts";
import { startWebhookReceiver } from "../../test/harness/webhookReceiver.ts";
import { rpc } from "../lib/chain.ts";
import { log } from "../lib/log.ts";
import { waitFor } from "../lib/ports.ts";
import { memoryOf } from "./lib/procStats.ts";

const { values } = parseArgs({
  options: {
    checkouts: { type: "string", default: "200" },
    merchants: { type: "string", default: "4" },
    refunds: { type: "string", default: "20" },
    "block-ms": { type: "string", default: "0" },
    "new-blocks": { type: "string" },
    "pay-over": { type: "string" },
  },
});
const BLOCK_MS = Number(values["block-ms"]);
const NEW_BLOCKS = values["new-blocks"] ?? (BLOCK_MS > 0 ? "ws" : "poll");
if (NEW_BLOCKS !== "ws" && NEW_BLOCKS !== "poll") throw new Error("--new-blocks is ws or poll");
const N = Number(values.checkouts);
/**
 * Seconds over which the payments start, evenly spaced. At a real chain's pace the default is the
 * issue's "500 checkouts paid within one minute" (~17 per 2 s block); 0 pays all at once (a burst:
 * ~100 payments per 2 s block, the stress figure), as automine always does.
 */
const PAY_OVER_S = Number(values["pay-over"] ?? (BLOCK_MS > 0 ? 60 : 0));
const MERCHANTS = Number(values.merchants);
const REFUNDS = Math.min(N, Number(values.refunds));
const AMOUNT = 5_000_000n;
const adminKey = `bench_admin_${Date.now()}_0123456789`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/** Count, p50 and p99 of sorted latencies (ms). */
const spread = (sorted: number[]) => ({
  n: sorted.length,
  p50_ms: percentile(sorted, 50),
  p99_ms: percentile(sorted, 99),
});

/**
 * Where the indexer's time went, from its Prometheus metrics: RPC calls and their seconds by method,
 * indexing-function seconds by event, database seconds by method (Ponder's own histograms, summed).
 */
async function indexerProfile(url: string) {
  const text = await fetch(`${url}/metrics`).then((r) => r.text());
  const sum = (metric: string, label: string) => {
    const out: Record<string, { n: number; seconds: number }> = {};
    const re = new RegExp(`^${metric}_(sum|count)\\{([^}]*)\\} ([0-9.e+-]+)$`, "gm");
    for (const m of text.matchAll(re)) {
      const key = new RegExp(`${label}="([^"]*)"`).exec(m[2]!)?.[1] ?? "?";
      out[key] ??= { n: 0, seconds: 0 };
      const o = out[key];
      // Ponder's durations are in milliseconds.
      if (m[1] === "count") o.n += Number(m[3]);
      else o.seconds = Math.round((o.seconds + Number(m[3]) / 1000) * 100) / 100;
    }
    return out;
  };
  return {
    rpc: sum("ponder_rpc_request_duration", "method"),
    indexing_functions: sum("ponder_indexing_function_duration", "event"),
    database: sum("ponder_database_method_duration", "method"),
  };
}

const stack = await startStack({ indexer: false });
if (BLOCK_MS > 0) {
  // A real chain's pace from the start: a newHeads subscriber hears of no block until one is mined.
  await evmSetAutomine(stack.chain.rpcUrl, false);
  await rpc(stack.chain.rpcUrl, "evm_setIntervalMining", [BLOCK_MS]);
}
await stack.startIndexer(NEW_BLOCKS === "ws" ? { wsUrl: stack.chain.rpcUrl.replace(/^http/, "ws") } : {});
const receiver = await startWebhookReceiver();
let api: ApiHandle | undefined;
let failed = true;
try {
  api = await startApiOn(stack, {
    PIER_ADMIN_KEY: adminKey,
    PIER_SYNC_INTERVAL_MS: "50",
    PIER_RATE_LIMIT_MAX: "1000000",
    PIER_WEBHOOK_CONCURRENCY: "25",
    PIER_LOG_LEVEL: "warn",
  });
  const base = api.url;
  const latencies: number[] = [];
  const apiErrors: string[] = [];
  let apiRequests = 0;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers are read loosely
  const call = async (method: string, path: string, key?: string, body?: unknown): Promise<any> => {
    const started = performance.now();
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body ? { "content-type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    latencies.push(performance.now() - started);
    apiRequests++;
    if (res.status >= 300) apiErrors.push(`${method} ${path} -> ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text);
  };

  const merchants: { key: string }[] = [];
  for (let m = 0; m < MERCHANTS; m++) {
    const created = await call("POST", "/v1/admin/merchants", adminKey, {
      name: `Load shop ${m}`,
      payout_address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    });
    merchants.push({ key: created.secret_key });
    await call("POST", "/v1/webhook_endpoints", created.secret_key, {
      url: receiver.url,
      enabled_events: ["order.escrowed", "refund.succeeded"],
    });
  }
  const arrivals = new Map<string, number>();
  const eventIds = new Set<string>();
  const escrowedEventAt = new Map<string, number>();
  receiver.respond = (r) => {
    eventIds.add(r.body?.id);
    const obj = r.body?.data?.object;
    if (r.body?.type === "order.escrowed") {
      arrivals.set(obj?.id, r.at);
      escrowedEventAt.set(r.body.id, r.at);
    }
    if (r.body?.type === "refund.succeeded") arrivals.set(obj?.id, r.at);
    return 200;
  };

  log("bench-load", "funding wallets", { n: N });
  const wallets = await fundWallets(stack.chain.rpcUrl, stack.deployment, N, AMOUNT * 2n);
  const orders = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      call("POST", "/v1/orders", merchants[i % MERCHANTS]!.key, { amount: String(AMOUNT) }),
    ),
  );
  const checkouts: CheckoutLike[] = await Promise.all(orders.map((o) => call("GET", `/v1/checkout/${o.id}`)));

  log("bench-load", "paying", { n: N, blockMs: BLOCK_MS || "automine" });
  const paymentErrors: string[] = [];
  const receiptAt = new Map<string, number>();
  let paying = true;
  // When each payment's row first shows in the indexer's table (polled), to split the latency.
  const indexedAt = new Map<string, number>();
  const orderOfPayment = new Map(
    checkouts.map((c, i) => [
      paymentIdOf(c.terms.operator as `0x${string}`, c.terms.order_id as `0x${string}`).toLowerCase(),
      orders[i].id as string,
    ]),
  );
  let watching = true;
  const watchIndexer = (async () => {
    while (watching) {
      const { rows } = await stack.db.query<{ id: string }>(
        `SELECT id FROM "${stack.indexer!.schema}".payment`,
      );
      const now = Date.now();
      for (const r of rows) {
        const order = orderOfPayment.get(r.id.toLowerCase());
        if (order && !indexedAt.has(order)) indexedAt.set(order, now);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const requestsBefore = apiRequests;
  const t0 = performance.now();
  const payments = Promise.all(
    wallets.map(async (w, i) => {
      try {
        const startAt = t0 + (i * PAY_OVER_S * 1000) / N;
        if (startAt > performance.now()) await new Promise((r) => setTimeout(r, startAt - performance.now()));
        await payCheckout(w, checkouts[i]!, i % 2 === 0 ? "permit" : "authorization");
        receiptAt.set(orders[i].id, Date.now());
      } catch (error) {
        paymentErrors.push(`${orders[i].id}: ${String(error).slice(0, 200)}`);
      }
    }),
  ).finally(() => {
    paying = false;
  });
  // Merchants keep working meanwhile: list pages of their orders and read single orders.
  const browsing = Promise.all(
    merchants.map(async (m, j) => {
      let k = 0;
      while (paying) {
        await call("GET", "/v1/orders?limit=100", m.key);
        await call("GET", `/v1/orders/${orders[(j + MERCHANTS * k++) % N].id}`, m.key);
      }
    }),
  );
  await payments;
  const paidSeconds = (performance.now() - t0) / 1000;
  await browsing;
  const busyRequests = apiRequests - requestsBefore;

  const paid = orders.filter((o) => receiptAt.has(o.id));
  await waitFor("order.escrowed for every paid order", async () => paid.every((o) => arrivals.has(o.id)), {
    timeoutMs: 180_000,
    intervalMs: 20,
  }).catch((e) => log("bench-load", String(e)));
  // Refunds from each merchant, in parallel, once escrowed.
  const refunds = await Promise.all(
    paid
      .slice(0, REFUNDS)
      .map((o, i) =>
        call("POST", "/v1/refunds", merchants[i % MERCHANTS]!.key, { order: o.id, amount: "1000000" }),
      ),
  );
  await waitFor("refund.succeeded for every refund", async () => refunds.every((r) => arrivals.has(r?.id)), {
    timeoutMs: 180_000,
    intervalMs: 20,
  }).catch((e) => log("bench-load", String(e)));

  const toWebhook = orders
    .filter((o) => receiptAt.has(o.id) && arrivals.has(o.id))
    .map((o) => Math.max(0, arrivals.get(o.id)! - receiptAt.get(o.id)!))
    .sort((a, b) => a - b);
  watching = false;
  await watchIndexer;
  const toIndexed = orders
    .filter((o) => receiptAt.has(o.id) && indexedAt.has(o.id))
    .map((o) => Math.max(0, indexedAt.get(o.id)! - receiptAt.get(o.id)!))
    .sort((a, b) => a - b);
  // The delivery part alone: the event's row stored (in the sync pass) -> the webhook received.
  const stored = await stack.db.query<{ id: string; ms: string }>(
    `SELECT id, (extract(epoch FROM created_at) * 1000)::bigint::text AS ms FROM "pier_api".events WHERE id = ANY($1)`,
    [[...escrowedEventAt.keys()]],
  );
  const toDelivery = stored.rows
    .map((r) => Math.max(0, escrowedEventAt.get(r.id)! - Number(r.ms)))
    .sort((a, b) => a - b);
  const indexer = await indexerProfile(stack.indexer!.url).catch((e) => ({ error: String(e) }));
  const rss = { api: await memoryOf(api.pid), indexer: await memoryOf(stack.indexer!.pid) };
  const sortedApi = [...latencies].sort((a, b) => a - b);
  const lost =
    paid.filter((o) => !arrivals.has(o.id)).length + refunds.filter((r) => !arrivals.has(r?.id)).length;
  const apiSeconds = (performance.now() - t0) / 1000;
  const result = {
    checkouts: receiptAt.size,
    checkouts_goal: N,
    pay_over_s: PAY_OVER_S,
    merchants: MERCHANTS,
    block_ms: BLOCK_MS || "automine",
    new_blocks: NEW_BLOCKS,
    refunds: refunds.length,
    errors: apiErrors.length + paymentErrors.length,
    lost_events: lost,
    payments_per_s: Math.round((receiptAt.size / paidSeconds) * 10) / 10,
    seconds_to_pay_all: Math.round(paidSeconds * 100) / 100,
    api: {
      requests: apiRequests,
      rps_while_paying: Math.round(busyRequests / paidSeconds),
      rps: Math.round(apiRequests / apiSeconds),
      p50_ms: Math.round(percentile(sortedApi, 50) * 10) / 10,
      p99_ms: Math.round(percentile(sortedApi, 99) * 10) / 10,
    },
    payment_to_webhook: { ...spread(toWebhook), max_ms: toWebhook.at(-1) },
    payment_to_indexed: spread(toIndexed),
    event_to_webhook: spread(toDelivery),
    webhook_events_received: eventIds.size,
    indexer_whole_run: indexer,
    rss_mib: rss,
    error_samples: [...apiErrors, ...paymentErrors].slice(0, 10),
    measured: `${N} wallets pay ${PAY_OVER_S > 0 ? `one every ${Math.round((PAY_OVER_S * 1000) / N)} ms (all within ${PAY_OVER_S} s)` : "at once"} (permit / ERC-3009 halves) on ${BLOCK_MS ? `a chain mining every ${BLOCK_MS} ms, the indexer told of blocks by ${NEW_BLOCKS === "ws" ? "newHeads" : "polling"}` : "an automining chain"}; merchants list and read orders meanwhile, then refund; API figures cover every request of the run; payment->webhook is receipt -> order.escrowed received (PIER_CONFIRMATIONS default: 1 on the local chain), split into payment->indexed (its row first seen in the indexer table, polled every 50 ms) and event->webhook (the event row stored -> received)`,
  };
  await mkdir("bench-results", { recursive: true });
  const file =
    BLOCK_MS > 0
      ? `load-block${BLOCK_MS}ms${NEW_BLOCKS === "poll" ? "-poll" : ""}${PAY_OVER_S > 0 ? "" : "-burst"}.json`
      : "load.json";
  await writeFile(join("bench-results", file), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  failed = result.errors > 0 || result.lost_events > 0 || result.checkouts !== N;
  if (failed) log("bench-load", "errors or lost events", { errors: result.errors, lost: result.lost_events });
} finally {
  await api?.stop();
  await receiver.close();
  await stack.stop();
}
process.exit(failed ? 1 : 0);

/**
 * Replicas: two API processes, each running the workers (webhook delivery, keeper, sync, tx senders), on
 * one Postgres and one chain. Deliveries are held at the receiver until both replicas have as many in
 * flight as they may (PIER_WEBHOOK_CONCURRENCY each), so replica B certainly dies mid-delivery; then B is
 * killed -9 just as the escrows mature. Replica A alone must finish the work: every stored event
 * answered once at the receiver (B's held requests never got an answer, so redelivering them is no
 * duplicate), every escrow released by exactly one keeper transaction and one PaymentReleased.
 */
import { type Hex, parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ApiHandle } from "../../api/lib/start.ts";
import { verifySignature } from "../../api/src/webhooks/signature.ts";
import { paymentEscrowAbi } from "../../contracts/generated/abis.ts";
import { waitFor } from "../../scripts/lib/ports.ts";
import { apiClient } from "../harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../harness/apiStack.ts";
import { evmIncreaseTime, evmMine } from "../harness/payments.ts";
import { fundWallets, payCheckout } from "../harness/scriptedWallets.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../harness/webhookReceiver.ts";

/** Deliveries in flight per replica: the receiver holds 2 × this many before B is killed. */
const CONCURRENCY = 3;
const ORDERS = 12;
const ESCROW_SECONDS = 120;
const ENV = {
  PIER_WEBHOOK_CONCURRENCY: String(CONCURRENCY),
  // Held deliveries must not time out while the receiver holds them.
  PIER_WEBHOOK_TIMEOUT_MS: "10000",
  PIER_WEBHOOK_RETRY_BASE_SECONDS: "1",
  PIER_WEBHOOK_RETRY_MAX_INTERVAL_SECONDS: "2",
  PIER_KEEPER_INTERVAL_MS: "200",
};

let s: ApiStack;
let starting: Promise<ApiStack>;
let b: ApiHandle;
let receiver: WebhookReceiver;
let secret: string;

beforeAll(async () => {
  starting = startApiStack(ENV, { ownPostgres: true });
  s = await starting;
  b = await s.startApi(ENV);
  receiver = await startWebhookReceiver();
  const res = await s.client.post("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] });
  expect(res.status).toBe(200);
  secret = res.body.secret;
});

afterAll(async () => {
  await receiver?.close();
  await (await starting?.catch(() => undefined))?.stop();
});

describe("two replicas", () => {
  test("behavior: kill -9 of one replica mid-delivery: every webhook answered once, every escrow released once", async () => {
    // Hold every delivery until told; count what is held right now.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let held = 0;
    receiver.respond = async (r) => {
      if (!verifySignature(r.headers["pier-signature"] as string, r.rawBody, secret).ok) return 400;
      held++;
      await gate;
      held--;
      return 200;
    };

    // Orders through both replicas; each paid by a wallet of its own.
    const clients = [s.client, apiClient(b.url, s.secretKey)];
    const orders: { id: string }[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const res = await clients[i % 2]!.post("/v1/orders", {
        amount: "5000000",
        escrow_period: ESCROW_SECONDS,
      });
      expect(res.status).toBe(200);
      orders.push(res.body);
    }
    const wallets = await fundWallets(s.stack.chain.rpcUrl, s.stack.deployment, ORDERS, 10_000_000n);
    const receipts = [];
    for (let i = 0; i < ORDERS; i++) {
      const checkout = (await clients[i % 2]!.get(`/v1/checkout/${orders[i]!.id}`)).body;
      receipts.push(await payCheckout(wallets[i]!, checkout, i % 2 ? "permit" : "authorization"));
    }
    await evmMine(s.stack.chain.rpcUrl, 1);

    // Both replicas are delivering as much as they may: B holds CONCURRENCY of the held requests.
    await waitFor("both replicas' deliveries held", async () => held >= 2 * CONCURRENCY, {
      timeoutMs: 60_000,
    });
    expect(held).toBe(2 * CONCURRENCY);

    // The escrows mature, and B dies with its deliveries in flight (and perhaps the keeper's lock).
    await evmIncreaseTime(s.stack.chain.rpcUrl, ESCROW_SECONDS + 1);
    await evmMine(s.stack.chain.rpcUrl, 1);
    process.kill(b.pid, "SIGKILL");
    await b.exited;
    const abandoned = await waitFor(
      "B's held requests to lose their sender",
      async () => {
        const n = receiver.received.filter((r) => r.abandoned).length;
        return n >= CONCURRENCY && n;
      },
      { timeoutMs: 30_000 },
    );
    expect(abandoned).toBe(CONCURRENCY);
    open();

    // A alone settles everything and delivers every event (B's held ones once its lease runs out).
    const ids = orders.map((o) => o.id);
    await waitFor(
      "every order settled",
      async () => {
        const { rows } = await s.stack.db.query<{ n: string }>(
          "SELECT count(*) AS n FROM pier_api.orders WHERE id = ANY($1) AND status = 'settled'",
          [ids],
        );
        return Number(rows[0]!.n) === ORDERS;
      },
      { timeoutMs: 120_000 },
    );
    const events = async () =>
      (
        await s.stack.db.query<{ id: string; type: string }>(
          "SELECT id, type FROM pier_api.events WHERE order_id = ANY($1)",
          [ids],
        )
      ).rows;
    await waitFor(
      "every order's events answered at the receiver",
      async () => {
        const answered = new Set(receiver.received.filter((r) => r.answered === 200).map((r) => r.body.id));
        const all = await events();
        return all.some((e) => e.type === "order.settled") && all.every((e) => answered.has(e.id));
      },
      { timeoutMs: 120_000 },
    );

    const stored = await events();
    const perEvent = new Map<string, number>();
    for (const r of receiver.received.filter((r) => r.answered === 200))
      perEvent.set(r.body.id, (perEvent.get(r.body.id) ?? 0) + 1);
    const twice = stored.filter((e) => (perEvent.get(e.id) ?? 0) !== 1);
    expect(twice, "events answered other than once").toEqual([]);
    const perType = new Map<string, number>();
    for (const e of stored) perType.set(e.type, (perType.get(e.type) ?? 0) + 1);
    expect(Object.fromEntries(perType)).toMatchObject({ "order.escrowed": ORDERS, "order.settled": ORDERS });
    console.log("replicas: events per type", Object.fromEntries(perType));
    // The deliveries B held went out again (same event ids), and the receiver answered those once.
    const redelivered = receiver.received.filter((r) => r.abandoned).map((r) => r.body.id);
    for (const id of redelivered) expect(perEvent.get(id)).toBe(1);

    // One keeper intent per escrow, and one PaymentReleased per payment on chain.
    const paymentIds = receipts.map(
      (r) =>
        parseEventLogs({ abi: paymentEscrowAbi, logs: r.logs, eventName: "PaymentEscrowed" })[0]!.args
          .paymentId as Hex,
    );
    const { rows: intents } = await s.stack.db.query<{ id: string; status: string; n: string }>(
      `SELECT p.id, count(c.*) AS n FROM unnest($1::text[]) AS p(id)
         LEFT JOIN pier_api.chain_txs c ON c.kind = 'release_batch' AND c.payload->'paymentIds' ? p.id
        GROUP BY p.id`,
      [paymentIds],
    );
    expect(intents.filter((r) => r.n !== "1")).toEqual([]);
    const logs = await s.stack.pay.publicClient.getContractEvents({
      address: s.stack.deployment.contracts.PaymentEscrow.address,
      abi: paymentEscrowAbi,
      eventName: "PaymentReleased",
      fromBlock: 0n,
    });
    const released = logs.map((l) => l.args.paymentId as Hex);
    for (const id of paymentIds) expect(released.filter((r) => r === id)).toHaveLength(1);
  });
});

/**
 * The public checkout's pay hints and payment attempts against a real stack with two chains: 31337 (Local
 * A: Pier's relayer, a paymaster service in the networks file, tUSDC taking authorizations and rUSDC
 * configured without them) and 4242 (outside the local chain ids, so no dev relayer key, listed as a
 * testnet, no paymaster service). `gasless` says what the relay route would accept, `paymaster_url` is
 * the selected network's; payment attempts land once per (method, account) in the order's events and
 * webhooks, and every refusal stores nothing.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Address, createPublicClient, getAddress, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { devPrivateKey } from "../../../../../contracts/lib/accounts.ts";
import { waitFor } from "../../../../../scripts/lib/ports.ts";
import type { ApiClient } from "../../../../../test/harness/apiClient.ts";
import { apiClient } from "../../../../../test/harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../../../../../test/harness/apiStack.ts";
import { evmIncreaseTime, evmMine } from "../../../../../test/harness/payments.ts";
import { waitForWebhook } from "../../../../../test/harness/waitForWebhook.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../../../../test/harness/webhookReceiver.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field.
type Json = any;

const CHAIN_A = 31337;
const CHAIN_B = 4242;
const PAYMASTER = "https://paymaster.example/rpc/v1/local-a/public-client-key";
const TYPE = "order.payment_method_chosen";
const AMOUNT = "5000000";

let starting: Promise<ApiStack>;
let s: ApiStack;
let anon: ApiClient;
let receiver: WebhookReceiver;
let tokens: { a: Address; regulated: Address; b: Address };
/** The env every API of this file boots with (dev keys are defaults on local chains only). */
let env: Record<string, string>;

let ratesDir: string | undefined;

beforeAll(async () => {
  // The harness's own networks file lists 4242 as a mainnet, and sandbox FX rates are refused beside a
  // live network: a rates file stands in until our own file (both testnets) replaces it.
  ratesDir = await mkdtemp(join(tmpdir(), "pier-rates-"));
  const ratesFile = join(ratesDir, "rates.json");
  await writeFile(
    ratesFile,
    JSON.stringify({ base: "USD", rates: { EUR: { rate: "0.86", asOf: new Date().toISOString() } } }),
  );
  env = {
    PIER_FX_SOURCE: "file",
    PIER_FX_RATES_FILE: ratesFile,
    PIER_OPERATOR_KEY: devPrivateKey("operator"),
    PIER_KEEPER_KEY: devPrivateKey("keeper"),
  };
  starting = startApiStack(env, { secondChain: true, secondChainId: CHAIN_B });
  s = await starting;
  anon = s.client.withKey(undefined);
  const [a, b] = [s.stack.chains[0]!, s.stack.chains[1]!];
  tokens = {
    a: a.deployment.contracts.TestStablecoin!.address,
    regulated: a.deployment.contracts.RegulatedStablecoin!.address,
    b: b.deployment.contracts.TestStablecoin!.address,
  };
  const file = join(s.stack.dir, "networks-checkout.json");
  await writeFile(
    file,
    JSON.stringify({
      networks: [
        {
          chain_id: CHAIN_A,
          name: "Local A",
          rpc_urls: [a.chain.rpcUrl],
          deployment_file: a.deploymentFile,
          confirmations: 1,
          testnet: true,
          paymaster_url: PAYMASTER,
          tokens: [{ address: tokens.a }, { address: tokens.regulated, methods: ["permit", "allowance"] }],
        },
        {
          chain_id: CHAIN_B,
          name: "No relayer",
          rpc_urls: [b.chain.rpcUrl],
          deployment_file: b.deploymentFile,
          confirmations: 1,
          testnet: true,
        },
      ],
    }),
  );
  await s.restartApi({ PIER_NETWORKS_FILE: file });
  receiver = await startWebhookReceiver();
  const endpoint = await s.client.post("/v1/webhook_endpoints", {
    url: receiver.url,
    enabled_events: [TYPE],
  });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(200);
}, 240_000);
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
  await receiver?.close();
  if (ratesDir) await rm(ratesDir, { recursive: true, force: true });
});

async function order(body: Record<string, unknown> = {}): Promise<Json> {
  const res = await s.client.post("/v1/orders", { amount: AMOUNT, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function checkout(id: string, client: ApiClient = anon): Promise<Json> {
  const res = await client.get(`/v1/checkout/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** A relay request that passes the schema: refused or not by the route's first checks. */
const relay = (id: string) =>
  anon.post(`/v1/checkout/${id}/relay`, {
    payer: privateKeyToAccount(generatePrivateKey()).address,
    signature: `0x${"11".repeat(65)}`,
  });

describe("checkout: chain_time and fiat_payment", () => {
  test("behavior: chain_time is the latest block time of the order's network, moved ahead by time travel", async () => {
    const rpcUrl = s.stack.chains[1]!.chain.rpcUrl;
    const o = await order({ network: CHAIN_B });
    const before = await checkout(o.id);
    expect(before.fiat_payment).toBeNull();
    expect(before.chain_time).toEqual(expect.any(Number));
    await evmIncreaseTime(rpcUrl, 600);
    await evmMine(rpcUrl);
    const block = await createPublicClient({ transport: http(rpcUrl) }).getBlock();
    expect(Number(block.timestamp)).toBeGreaterThanOrEqual(before.chain_time + 600);
    // The API refreshes the head at most every few seconds.
    await waitFor(
      "chain_time after time travel",
      async () => (await checkout(o.id)).chain_time >= Number(block.timestamp),
      { timeoutMs: 15_000, intervalMs: 500 },
    );
  });
});

describe("checkout: gasless and paymaster_url", () => {
  test("behavior: tUSDC on a network with a relayer is gasless, with the network's paymaster_url", async () => {
    const o = await order({ network: CHAIN_A, token: tokens.a });
    const c = await checkout(o.id);
    expect(c).toMatchObject({ chain_id: CHAIN_A, gasless: true, paymaster_url: PAYMASTER });
    expect(c.token.methods).toContain("authorization");
  });

  test("behavior: a token whose methods lack authorization is not gasless (the relay route refuses it too)", async () => {
    const o = await order({ network: CHAIN_A, token: tokens.regulated });
    const c = await checkout(o.id);
    expect(c.token.methods).toEqual(["permit", "allowance"]);
    expect(c).toMatchObject({ gasless: false, paymaster_url: PAYMASTER });
    const refused = await relay(o.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("relay_method_unsupported");
  });

  test("behavior: a network without a relayer is not gasless, and without a paymaster service its paymaster_url is null", async () => {
    const o = await order({ network: CHAIN_B });
    const c = await checkout(o.id);
    expect(c.chain_id).toBe(CHAIN_B);
    expect(c.token.methods).toContain("authorization");
    expect(c).toMatchObject({ gasless: false, paymaster_url: null });
    const refused = await relay(o.id);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe("relay_unavailable");
  });

  test("behavior: both follow the option the customer selects", async () => {
    const o = await order({
      network: CHAIN_A,
      token: tokens.a,
      accept: [
        { network: CHAIN_A, token: tokens.a },
        { network: CHAIN_B, token: tokens.b },
      ],
    });
    expect(await checkout(o.id)).toMatchObject({ gasless: true, paymaster_url: PAYMASTER });
    const onB = await anon.post(`/v1/checkout/${o.id}/select`, { network: CHAIN_B, token: tokens.b });
    expect(onB.status, JSON.stringify(onB.body)).toBe(200);
    expect(onB.body).toMatchObject({ chain_id: CHAIN_B, gasless: false, paymaster_url: null });
    expect(await checkout(o.id)).toMatchObject({ chain_id: CHAIN_B, gasless: false, paymaster_url: null });
    const onA = await anon.post(`/v1/checkout/${o.id}/select`, { network: CHAIN_A, token: tokens.a });
    expect(onA.body).toMatchObject({ chain_id: CHAIN_A, gasless: true, paymaster_url: PAYMASTER });
  });

  test("behavior: without a networks file, PIER_PAYMASTER_URL is the single network's paymaster_url", async () => {
    const o = await order({
      network: CHAIN_A,
      token: tokens.a,
      accept: [{ network: CHAIN_A, token: tokens.a }],
    });
    const url = "https://paymaster.example/single";
    const single = await s.startApi({
      PIER_NETWORKS_FILE: "",
      PIER_PAYMASTER_URL: url,
      PIER_WORKERS: "false",
    });
    try {
      expect(await checkout(o.id, apiClient(single.url))).toMatchObject({
        chain_id: CHAIN_A,
        gasless: true,
        paymaster_url: url,
      });
    } finally {
      await single.stop();
    }
  });

  test("error: a paymaster_url that is not an http(s) URL stops the boot, naming the network", async () => {
    const bad = join(s.stack.dir, "networks-bad-paymaster.json");
    const a = s.stack.chains[0]!;
    await writeFile(
      bad,
      JSON.stringify({
        networks: [
          {
            chain_id: CHAIN_A,
            rpc_urls: [a.chain.rpcUrl],
            deployment_file: a.deploymentFile,
            paymaster_url: "wss://paymaster.example/rpc",
          },
        ],
      }),
    );
    await expect(s.startApi({ PIER_NETWORKS_FILE: bad, PIER_WORKERS: "false" })).rejects.toThrow(
      /\/networks\/0\/paymaster_url \(chain 31337\): must be an http\(s\) URL, not wss:\/\//,
    );
    await expect(
      s.startApi({ PIER_NETWORKS_FILE: "", PIER_PAYMASTER_URL: "paymaster.example", PIER_WORKERS: "false" }),
    ).rejects.toThrow(/PIER_PAYMASTER_URL must be an absolute http\(s\) URL/);
  });
});

const customer = () => privateKeyToAccount(generatePrivateKey()).address;

function attemptBody(over: Record<string, unknown> = {}): Json {
  return {
    method: "batch",
    reason: "Your wallet approves and pays in one step",
    account: customer(),
    wallet: { type: "smart_account", atomic: true, paymaster: false },
    ...over,
  };
}

const attempt = (id: string, body: unknown) => anon.post(`/v1/checkout/${id}/attempts`, body);

/** The order's payment attempts as the merchant reads them, oldest first. */
async function attemptEvents(id: string): Promise<Json[]> {
  const res = await s.client.get(`/v1/events?order=${id}&limit=100`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.filter((e: Json) => e.type === TYPE).reverse();
}

const storedAttempts = async () =>
  Number(
    (await s.stack.db.query("SELECT count(*) AS n FROM pier_api.events WHERE type = $1", [TYPE])).rows[0].n,
  );

describe("payment attempts", () => {
  test("behavior: recorded once per method and account, in the order's events and its webhooks", async () => {
    const o = await order({ network: CHAIN_A, token: tokens.a });
    const account = customer();
    const first = attemptBody({ account: account.toLowerCase() });
    const res = await attempt(o.id, first);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const expected = {
      object: "payment_attempt",
      order: o.id,
      method: "batch",
      reason: first.reason,
      account,
      wallet: { type: "smart_account", atomic: true, paymaster: false },
    };
    expect(res.body).toEqual(expected);

    const [event, ...more] = await attemptEvents(o.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ object: "event", type: TYPE, order: o.id, livemode: false });
    expect(event.data.object).toEqual(expected);

    // The same method and account again (another reason, the address checksummed): the first attempt, nothing new.
    const again = await attempt(o.id, { ...first, account, reason: "Try again" });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(expected);
    expect((await attemptEvents(o.id)).map((e) => e.id)).toEqual([event.id]);

    // Another method, or another account: each recorded.
    const permit = attemptBody({
      method: "permit",
      account,
      reason: "Your wallet cannot batch calls: sign a permit, then pay",
      wallet: { type: "eoa", atomic: false, paymaster: false },
    });
    expect((await attempt(o.id, permit)).body).toEqual({ ...permit, object: "payment_attempt", order: o.id });
    const other = attemptBody({ method: "batch" });
    expect((await attempt(o.id, other)).status).toBe(200);
    const events = await attemptEvents(o.id);
    expect(events.map((e) => [e.data.object.method, e.data.object.account])).toEqual([
      ["batch", account],
      ["permit", account],
      ["batch", other.account],
    ]);

    const hook = await waitForWebhook(receiver, o.id, TYPE);
    expect(hook.body).toMatchObject({ id: event.id, type: TYPE, data: { object: expected } });
  });

  test("error: an unknown order, a bad body and an order not open for payment are refused, storing nothing", async () => {
    const o = await order({ network: CHAIN_A, token: tokens.a });
    const before = await storedAttempts();

    const missing = await attempt("ord_000000000000000000000000", attemptBody());
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: "resource_missing" });
    expect((await attempt("ord_nope", attemptBody())).status).toBe(404);

    const bad: [Json, string, string][] = [
      [attemptBody({ method: "magic" }), "parameter_invalid", "method"],
      [attemptBody({ reason: "" }), "parameter_invalid", "reason"],
      [attemptBody({ reason: "x".repeat(301) }), "parameter_invalid", "reason"],
      [attemptBody({ account: "0x12" }), "parameter_invalid", "account"],
      [
        attemptBody({ wallet: { type: "contract", atomic: true, paymaster: false } }),
        "parameter_invalid",
        "wallet.type",
      ],
      [
        attemptBody({ wallet: { type: "eoa", atomic: "yes", paymaster: false } }),
        "parameter_invalid",
        "wallet.atomic",
      ],
      [attemptBody({ wallet: { type: "eoa", atomic: true } }), "parameter_missing", "wallet.paymaster"],
      [
        attemptBody({ wallet: { type: "eoa", atomic: true, paymaster: false, chain: 1 } }),
        "parameter_unknown",
        "wallet.chain",
      ],
      [{ ...attemptBody(), wallet: undefined }, "parameter_missing", "wallet"],
      [{ ...attemptBody(), extra: true }, "parameter_unknown", "extra"],
    ];
    for (const [body, code, param] of bad) {
      const res = await attempt(o.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toMatchObject({ code, param });
    }
    // 300 characters are fine: the limit is inclusive.
    expect((await attempt(o.id, attemptBody({ reason: "x".repeat(300) }))).status).toBe(200);
    expect(await storedAttempts()).toBe(before + 1);

    const canceled = await order({ network: CHAIN_A, token: tokens.a });
    expect((await s.client.post(`/v1/orders/${canceled.id}/cancel`)).status).toBe(200);
    const refused = await attempt(canceled.id, attemptBody());
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "order_not_payable" });
    expect(refused.body.error.message).toContain("canceled");
    expect(await attemptEvents(canceled.id)).toEqual([]);
    expect(await storedAttempts()).toBe(before + 1);
  });

  test("error: past 10 attempts an order's next is refused (429 too_many_attempts), a recorded one still answers", async () => {
    const o = await order({ network: CHAIN_A, token: tokens.a });
    const bodies = Array.from({ length: 10 }, (_, i) =>
      attemptBody({ method: i % 2 ? "allowance" : "relayed", account: customer() }),
    );
    for (const body of bodies) expect((await attempt(o.id, body)).status).toBe(200);
    const eleventh = await attempt(o.id, attemptBody());
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error).toMatchObject({ type: "rate_limit_error", code: "too_many_attempts" });
    expect(await attemptEvents(o.id)).toHaveLength(10);
    const repeat = await attempt(o.id, bodies[0]);
    expect(repeat.status).toBe(200);
    expect(repeat.body.account).toBe(getAddress(bodies[0].account));
    expect(await attemptEvents(o.id)).toHaveLength(10);
  });

  test("behavior: 15 different attempts at once: exactly 10 recorded, the rest refused", async () => {
    const o = await order({ network: CHAIN_A, token: tokens.a });
    const results = await Promise.all(
      Array.from({ length: 15 }, () => attempt(o.id, attemptBody({ method: "authorization" }))),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(10).fill(200), ...Array(5).fill(429)]);
    const recorded = results
      .filter((r) => r.status === 200)
      .map((r) => r.body.account)
      .sort();
    const events = await attemptEvents(o.id);
    expect(events.map((e) => e.data.object.account).sort()).toEqual(recorded);
  });
});

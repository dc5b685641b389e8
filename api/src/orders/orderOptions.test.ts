/**
 * Orders with several ways to pay, against real processes: one local chain whose networks file accepts
 * four tokens (the test token, a USDC-like, an 18-decimal DAI-like and a EUR-pegged EURC-like). The
 * checkout lists each with its amount; the customer switches; a payment made with the terms of an option
 * switched away from still binds the order.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { evmIncreaseTime, evmMine } from "../../../test/harness/payments.ts";
import { waitForWebhook } from "../../../test/harness/waitForWebhook.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../../test/harness/webhookReceiver.ts";

let s: ApiStack;
let receiver: WebhookReceiver;
let tokens: { test: string; usdc: string; dai: string; eurc: string; usdt: string };
const AMOUNT = 10_000_000n;

beforeAll(async () => {
  s = await startApiStack({}, { tokenModels: true });
  const c = s.stack.deployment.contracts;
  tokens = {
    test: c.TestStablecoin!.address,
    usdc: c.UsdcLike!.address,
    dai: c.DaiLike!.address,
    eurc: c.EurcLike!.address,
    usdt: c.UsdtLike!.address,
  };
  const file = join(s.stack.dir, "networks.json");
  await writeFile(
    file,
    JSON.stringify({
      networks: [
        {
          chain_id: 31337,
          name: "Local A",
          rpc_urls: [s.stack.chain.rpcUrl],
          deployment_file: s.stack.deploymentFile,
          tokens: [
            { address: tokens.test },
            { address: tokens.usdc, methods: ["authorization", "permit", "allowance"] },
            { address: tokens.dai, methods: ["dai_permit", "allowance"] },
            { address: tokens.eurc, peg: "EUR" },
            { address: tokens.usdt, methods: ["allowance"] },
          ],
        },
      ],
    }),
  );
  await s.restartApi({ PIER_NETWORKS_FILE: file });
  receiver = await startWebhookReceiver();
  const res = await s.client.post("/v1/webhook_endpoints", { url: receiver.url, enabled_events: ["*"] });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await receiver?.close();
  await s?.stop();
});

const checkout = (id: string) => s.client.withKey(undefined).get(`/v1/checkout/${id}`);
const select = (id: string, body: unknown) =>
  s.client.withKey(undefined).post(`/v1/checkout/${id}/select`, body);

describe("order options", () => {
  test("default: /v1/networks lists the network and its tokens, read from the chain", async () => {
    const res = await s.client.withKey(undefined).get("/v1/networks");
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    const [net] = res.body.data;
    expect(net).toMatchObject({ chain_id: 31337, name: "Local A", testnet: true, default: true });
    expect(
      net.tokens.map((t: { symbol: string; decimals: number; peg: string }) => [t.symbol, t.decimals, t.peg]),
    ).toEqual([
      ["tUSDC", 6, "USD"],
      ["USDC", 6, "USD"],
      ["DAI", 18, "USD"],
      ["EURC", 6, "EUR"],
      ["tUSDT", 6, "USD"],
    ]);
    expect(net.tokens[2].methods).toEqual(["dai_permit", "allowance"]);
  });

  test("default: the checkout offers every token with its amount; same peg scales decimals, another converts", async () => {
    const order = (await s.client.post("/v1/orders", { amount: AMOUNT.toString() })).body;
    expect(order.network).toEqual({ chain_id: 31337, name: "Local A", testnet: true, explorer_url: null });
    const res = await checkout(order.id);
    expect(res.status).toBe(200);
    const byToken = Object.fromEntries(
      res.body.options.map((o: { token: { address: string }; amount: string; selected: boolean }) => [
        o.token.address.toLowerCase(),
        o,
      ]),
    );
    expect(byToken[tokens.test.toLowerCase()]).toMatchObject({ amount: "10000000", selected: true });
    expect(byToken[tokens.usdc.toLowerCase()]).toMatchObject({ amount: "10000000", selected: false });
    expect(byToken[tokens.dai.toLowerCase()]).toMatchObject({
      amount: "10000000000000000000",
      selected: false,
    });
    // 10 USD in EUR at the sandbox rate: less than 10 EUR (the euro is worth more than the dollar there).
    const eur = BigInt(byToken[tokens.eurc.toLowerCase()].amount);
    expect(eur).toBeGreaterThan(0n);
    expect(eur).toBeLessThan(AMOUNT);
  });

  test("behavior: accept restricts the options; the order defaults to the first accepted token", async () => {
    const res = await s.client.post("/v1/orders", {
      amount: AMOUNT.toString(),
      accept: [{ network: 31337, token: tokens.dai }],
    });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatchObject({ address: tokens.dai, symbol: "DAI", decimals: 18 });
    expect(res.body.amount).toBe(AMOUNT.toString()); // the amount is in the order's own token's units
    const options = (await checkout(res.body.id)).body.options;
    expect(options).toHaveLength(1);
    const refused = await select(res.body.id, { network: 31337, token: tokens.usdc });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "parameter_invalid", param: "token" });
  });

  test("error: a create naming a network or token not served changes nothing", async () => {
    const before = (await s.client.get("/v1/orders?limit=100")).body.data.length;
    const network = await s.client.post("/v1/orders", { amount: "1", network: 8453 });
    expect(network.status).toBe(400);
    expect(network.body.error).toMatchObject({ code: "parameter_invalid", param: "network" });
    const token = await s.client.post("/v1/orders", { amount: "1", token: `0x${"12".repeat(20)}` });
    expect(token.status).toBe(400);
    expect(token.body.error).toMatchObject({ code: "parameter_invalid", param: "token" });
    const outside = await s.client.post("/v1/orders", {
      amount: "1",
      token: tokens.usdc,
      accept: [{ network: 31337, token: tokens.dai }],
    });
    expect(outside.status).toBe(400);
    expect((await s.client.get("/v1/orders?limit=100")).body.data.length).toBe(before);
  });

  test("behavior: switching re-signs for the token; a payment with the terms switched away from binds the order", async () => {
    const order = (await s.client.post("/v1/orders", { amount: AMOUNT.toString() })).body;
    const first = (await checkout(order.id)).body;
    const switched = await select(order.id, { network: 31337, token: tokens.usdc });
    expect(switched.status).toBe(200);
    expect(switched.body.token.address).toBe(tokens.usdc);
    expect(switched.body.terms.token.toLowerCase()).toBe(tokens.usdc.toLowerCase());
    expect(switched.body.signature).not.toBe(first.signature);
    expect(switched.body.options.find((o: { selected: boolean }) => o.selected).token.address).toBe(
      tokens.usdc,
    );
    // The same option again changes nothing; another switch back reuses the first terms.
    expect((await select(order.id, { network: 31337, token: tokens.usdc })).body.signature).toBe(
      switched.body.signature,
    );
    const wrongNetwork = await select(order.id, { network: 1, token: tokens.usdc });
    expect(wrongNetwork.status).toBe(400);
    expect(wrongNetwork.body.error.param).toBe("network");

    // The customer pays with the tUSDC terms the page showed first.
    await s.stack.pay.payByAllowance(paymentTermsFromJson(first.terms));
    const escrowed = await waitForWebhook(receiver, order.id, "order.escrowed");
    expect(escrowed.body.data.object.token.address).toBe(tokens.test);
    expect(escrowed.body.data.object.signature).toBe(first.signature);
    const late = await select(order.id, { network: 31337, token: tokens.dai });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("order_not_open");
    expect((await checkout(order.id)).body.token.address).toBe(tokens.test);
  });

  test("behavior: a DAI-priced option is paid with DAI's own permit and settles like any other", async () => {
    const order = (await s.client.post("/v1/orders", { amount: AMOUNT.toString() })).body;
    const dai = (await select(order.id, { network: 31337, token: tokens.dai })).body;
    expect(dai.amount).toBe("10000000000000000000");
    const paid = await s.stack.pay.payByDaiPermit(paymentTermsFromJson(dai.terms));
    expect(paid.record.terms.amount).toBe(10_000_000_000_000_000_000n);
    const escrowed = await waitForWebhook(receiver, order.id, "order.escrowed");
    expect(escrowed.body.data.object).toMatchObject({
      token: { address: tokens.dai, symbol: "DAI", decimals: 18 },
      payment: { method: "dai_permit" },
    });
    // The bridge funds DAI orders from its DAI treasury: the quote is in DAI's 18 decimals, and 25 DAI cost
    // the same euros as 25 tUSDC (both pegged to USD).
    const quoteFor = async (token: string, amount: string) => {
      const open = (await s.client.post("/v1/orders", { amount, token })).body;
      const res = await s.client
        .withKey(undefined)
        .post(`/v1/checkout/${open.id}/fiat/quotes`, { currency: "EUR" });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const inDai = await quoteFor(tokens.dai, "25000000000000000000");
    const inTest = await quoteFor(tokens.test, "25000000");
    expect(inDai).toMatchObject({
      target_token: "DAI",
      target_decimals: 18,
      target_amount: "25000000000000000000",
    });
    expect(inTest).toMatchObject({ target_token: "tUSDC", target_decimals: 6 });
    expect(inDai.source_amount).toBe(inTest.source_amount);
    const home = await s.client
      .withKey(undefined)
      .post(`/v1/checkout/${order.id}/fiat/quotes`, { currency: "EUR" });
    expect(home.status).toBe(409); // paid already: not payable at all
    const refund = await s.client.post("/v1/refunds", { order: order.id });
    expect(refund.status).toBe(200);
    await waitForWebhook(receiver, order.id, "order.refunded");
  });

  test("behavior: every token model, paid with each method it supports, through the API to settled", async () => {
    const cases = [
      ["usdc", "authorization"],
      ["usdc", "permit"],
      ["usdc", "allowance"],
      ["usdt", "allowance"],
      ["dai", "dai_permit"],
      ["dai", "allowance"],
      ["eurc", "authorization"],
      ["eurc", "permit"],
    ] as const;
    const pay = s.stack.pay;
    const by = {
      // Relayed by another account than the API's keeper, whose nonces its sender owns.
      authorization: (terms: Parameters<typeof pay.payByPermit>[0]) =>
        pay.payByAuthorization(terms, "customer", "customer2"),
      permit: pay.payByPermit,
      allowance: pay.payByAllowance,
      dai_permit: pay.payByDaiPermit,
    };
    const paid: { id: string; token: string; method: string }[] = [];
    for (const [token, method] of cases) {
      const order = (await s.client.post("/v1/orders", { amount: "2000000", token: tokens[token] })).body;
      await by[method](paymentTermsFromJson(order.terms));
      const escrowed = await waitForWebhook(receiver, order.id, "order.escrowed");
      expect(escrowed.body.data.object.payment.method, `${token} ${method}`).toBe(method);
      paid.push({ id: order.id, token: tokens[token], method });
    }
    await evmIncreaseTime(s.stack.chain.rpcUrl, 7 * 86_400 + 1);
    await evmMine(s.stack.chain.rpcUrl, 1);
    for (const p of paid) {
      const settled = await waitForWebhook(receiver, p.id, "order.settled", 90_000);
      expect(settled.body.data.object, `${p.token} ${p.method}`).toMatchObject({
        status: "settled",
        token: { address: p.token },
      });
    }
  });
});

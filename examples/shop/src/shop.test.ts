/**
 * The README's integration, end to end on a real local stack: `pier listen` forwards events to the
 * shop, a cart becomes a Pier order through the shop, `pier pay` pays it on chain, the shop verifies
 * the signed order.escrowed and shows the purchase paid.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { Pier } from "@pier/client";
import { buildTestEvent } from "@pier/client/webhooks";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort, waitFor } from "../../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../../../test/harness/apiStack.ts";
import { buildShop } from "./shop.ts";

const PIER_BIN = new URL("../../../cli/bin/pier.js", import.meta.url).pathname;
let starting: Promise<ApiStack>;
let s: ApiStack;
let env: Record<string, string>;
let listen: ChildProcess;
let shop: FastifyInstance;
let shopUrl: string;
let secret: string;

beforeAll(async () => {
  starting = startApiStack();
  s = await starting;
  env = { PIER_API_KEY: s.secretKey, PIER_API_URL: s.api.url, PIER_RPC_URL: s.stack.chain.rpcUrl };
  const port = await freePort();
  shopUrl = `http://127.0.0.1:${port}`;
  listen = spawn(process.execPath, [PIER_BIN, "listen", "--forward-to", `${shopUrl}/webhooks`, "--json"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: { type: string; secret?: string }[] = [];
  createInterface({ input: listen.stdout! }).on("line", (l) => lines.push(JSON.parse(l)));
  secret = (
    await waitFor("pier listen ready", async () => lines.find((l) => l.type === "ready"), {
      timeoutMs: 30_000,
    })
  ).secret!;
  shop = buildShop({ pier: new Pier(s.secretKey, { baseUrl: s.api.url }), webhookSecret: secret });
  await shop.listen({ host: "127.0.0.1", port });
});

afterAll(async () => {
  if (listen && listen.exitCode === null) {
    const exited = new Promise((resolve) => listen.once("exit", resolve));
    listen.kill("SIGTERM");
    await exited;
  }
  await shop?.close();
  await (await starting?.catch(() => undefined))?.stop();
});

function pier(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PIER_BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

// biome-ignore lint/suspicious/noExplicitAny: the shop's JSON, read loosely in tests
type Json = any;

async function getPurchase(id: string): Promise<Json> {
  return (await fetch(`${shopUrl}/purchases/${id}`)).json();
}

async function shopPost(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(shopUrl + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe("example shop", () => {
  test("default: cart -> Pier order -> pier pay -> verified order.escrowed -> purchase paid", async () => {
    const checkout = await shopPost("/checkout", {
      items: [
        { sku: "mug", quantity: 2 },
        { sku: "sticker", quantity: 1 },
      ],
    });
    expect(checkout.status).toBe(201);
    const purchase = checkout.body;
    expect(purchase).toMatchObject({ status: "awaiting_payment", amount: "27500000" });
    const order = await s.client.get(`/v1/orders/${purchase.orderId}`);
    expect(order.body).toMatchObject({ amount: "27500000", metadata: { purchase_id: purchase.id } });
    expect(purchase.checkoutUrl).toBe(order.body.checkout_url);

    const paid = await pier(["pay", purchase.orderId, "--method", "permit"]);
    expect(paid.code).toBe(0);
    expect(paid.stdout).toContain("order status: escrowed");

    const shown = await waitFor("the purchase paid", async () => {
      const p = await getPurchase(purchase.id);
      return p.status === "paid" && p;
    });
    expect(shown.paidAt).toBeGreaterThan(0);
  });

  test("error: the webhook route refuses a bad signature and changes nothing", async () => {
    const checkout = await shopPost("/checkout", { items: [{ sku: "tee", quantity: 1 }] });
    const forged = buildTestEvent("order.escrowed", {
      secret: "whsec_not_the_shop_secret",
      object: { id: checkout.body.orderId, metadata: { purchase_id: checkout.body.id } },
    });
    const res = await shopPost("/webhooks", forged.payload, { "pier-signature": forged.header });
    expect(res).toEqual({ status: 400, body: { error: "no_match" } });
    const stale = buildTestEvent("order.escrowed", {
      secret,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
      object: { id: checkout.body.orderId, metadata: { purchase_id: checkout.body.id } },
    });
    expect((await shopPost("/webhooks", stale.payload, { "pier-signature": stale.header })).status).toBe(400);
    expect((await getPurchase(checkout.body.id)).status).toBe("awaiting_payment");

    // The same event correctly signed is accepted (the test helper signs like Pier does).
    const signed = buildTestEvent("order.escrowed", {
      secret,
      object: { id: checkout.body.orderId, metadata: { purchase_id: checkout.body.id } },
    });
    expect((await shopPost("/webhooks", signed.payload, { "pier-signature": signed.header })).status).toBe(
      200,
    );
    expect((await getPurchase(checkout.body.id)).status).toBe("paid");
  });

  test("error: an empty or unknown cart is refused", async () => {
    expect((await shopPost("/checkout", { items: [] })).status).toBe(400);
    expect((await shopPost("/checkout", { items: [{ sku: "yacht", quantity: 1 }] })).status).toBe(400);
  });
});

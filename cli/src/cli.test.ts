/**
 * The `pier` binary as a child process against one real local stack: every command, its output
 * (--json parsed, human lines matched) and its exit codes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { constructEvent } from "@pier/client/webhooks";
import { erc20Abi, maxUint256 } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort, waitFor } from "../../scripts/lib/ports.ts";
import { type ApiStack, startApiStack } from "../../test/harness/apiStack.ts";
import { account } from "../../test/harness/payments.ts";
import { authorizeSubscription } from "../../test/harness/subscriptions.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../test/harness/webhookReceiver.ts";

const BIN = new URL("../bin/pier.js", import.meta.url).pathname;
let starting: Promise<ApiStack>;
let s: ApiStack;
let env: Record<string, string>;

beforeAll(async () => {
  starting = startApiStack();
  s = await starting;
  env = {
    PIER_API_KEY: s.secretKey,
    PIER_API_URL: s.api.url,
    PIER_RPC_URL: s.stack.chain.rpcUrl,
    PIER_INDEXER_URL: s.stack.indexer!.url,
  };
});
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.stop();
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: parsed --json output
  json: any;
}

function pier(args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env, ...extraEnv } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => {
      let json: unknown;
      try {
        json = JSON.parse(args.includes("--json") && code !== 0 ? stderr : stdout);
      } catch {}
      resolve({ code, stdout, stderr, json });
    });
  });
}

describe("help and usage", () => {
  test("default: --help lists every command; each command has its own help", async () => {
    const root = await pier(["--help"]);
    expect(root.code).toBe(0);
    for (const c of [
      "orders",
      "plans",
      "subscriptions",
      "refunds",
      "pay",
      "listen",
      "trigger",
      "time-travel",
      "status",
      "dashboard",
      "admin",
    ])
      expect(root.stdout).toContain(c);
    const pay = await pier(["pay", "--help"]);
    expect(pay.code).toBe(0);
    expect(pay.stdout).toMatch(/--method <method>.*allowance.*permit.*authorization/s);
  });

  test("behavior: a reader that is gone (pier --help | head) ends the command quietly with 0", async () => {
    const child = spawn(process.execPath, [BIN, "--help"], { env: { ...process.env, ...env } });
    // Closed before the child has loaded (well before it writes): its write then fails with EPIPE.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  test("error: bad usage exits 2 with a message; no API key exits 2", async () => {
    const unknown = await pier(["orders", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command");
    const duration = await pier(["time-travel", "soon"]);
    expect(duration.code).toBe(2);
    expect(duration.stderr).toContain("is not a duration");
    const noKey = await pier(["orders", "list"], { PIER_API_KEY: "" });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("PIER_API_KEY");
  });
});

describe("commands against the local stack", () => {
  test("status: every check ok (json and human); exit 1 when the API is down", async () => {
    const ok = await pier(["status", "--json"]);
    expect(ok.code).toBe(0);
    expect(ok.json.ok).toBe(true);
    for (const c of [
      "api",
      "database",
      "api_chain",
      "indexer",
      "senders",
      "chain",
      "indexer_http",
      "api_key",
    ])
      expect(ok.json.checks[c]?.ok, c).toBe(true);
    expect(ok.json.checks.api_key.detail).toContain(s.merchantId);
    const down = await pier(["status"], { PIER_API_URL: `http://127.0.0.1:${await freePort()}` });
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/DOWN\s+api/);
    expect(down.stdout).toMatch(/ok\s+chain/);
  });

  test("orders create|get|list, pay, refunds create", async () => {
    const created = await pier([
      "orders",
      "create",
      "--amount",
      "25000000",
      "--description",
      "Mug",
      "-m",
      "sku=mug",
      "--json",
    ]);
    expect(created.code).toBe(0);
    const order = created.json;
    expect(order).toMatchObject({
      object: "order",
      status: "open",
      amount: "25000000",
      metadata: { sku: "mug" },
    });

    const got = await pier(["orders", "get", order.id]);
    expect(got.code).toBe(0);
    expect(got.stdout).toContain(`${order.id}  open`);
    expect(got.stdout).toContain("25 tUSDC");
    expect(got.stdout).toContain(order.checkout_url);

    const paid = await pier(["pay", order.id, "--method", "authorization", "--json"], { PIER_API_KEY: "" });
    expect(paid.code).toBe(0);
    expect(paid.json).toMatchObject({ order: order.id, method: "authorization", status: "escrowed" });
    expect(paid.json.tx_hash).toMatch(/^0x[0-9a-f]{64}$/);

    const listed = await pier(["orders", "list", "-m", "sku=mug", "--status", "escrowed", "--json"]);
    expect(listed.json.data.map((o: { id: string }) => o.id)).toEqual([order.id]);

    const refund = await pier(["refunds", "create", order.id, "--amount", "5000000", "--reason", "chipped"]);
    expect(refund.code).toBe(0);
    expect(refund.stdout).toMatch(/^re_\w+\s+succeeded\s+order ord_\w+\s+amount 5000000\s+tx 0x/);

    const again = await pier(["pay", order.id, "--json"]);
    expect(again.code).toBe(1);
    expect(again.json.error.message).toBe(`${order.id} is escrowed: only an open order can be paid`);

    const toCancel = (await pier(["orders", "create", "--amount", "1000000", "--json"])).json;
    expect((await s.client.post(`/v1/orders/${toCancel.id}/cancel`)).status).toBe(200);
    const canceled = await pier(["pay", toCancel.id], { PIER_API_KEY: "" });
    expect(canceled.code).toBe(1);
    expect(canceled.stderr).toContain(`${toCancel.id} was canceled by the merchant: it cannot be paid`);
  });

  test("error: API errors print type, code and request id and exit 1", async () => {
    const missing = await pier(["orders", "get", "ord_000000000000000000000000", "--json"]);
    expect(missing.code).toBe(1);
    expect(missing.json.error).toMatchObject({
      type: "invalid_request_error",
      code: "resource_missing",
      status: 404,
    });
    expect(missing.json.error.request_id).toMatch(/^req_/);
    const human = await pier(["refunds", "create", "ord_000000000000000000000000"]);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/resource_missing.*HTTP 404.*request req_/);
  });

  test("time-travel: moves chain time by the duration", async () => {
    const moved = await pier(["time-travel", "1h30m", "--json"]);
    expect(moved.code).toBe(0);
    expect(moved.json.seconds).toBe(5400);
    expect(moved.json.chain_time - moved.json.previous_chain_time).toBeGreaterThanOrEqual(5400);
    // With PIER_RPC_URL given, only that chain (dev chain B on 8546 is never assumed alongside it).
    expect(moved.json.chains).toEqual([
      expect.objectContaining({
        chain_id: 31337,
        rpc_url: s.stack.chain.rpcUrl,
        chain_time: moved.json.chain_time,
      }),
    ]);
    const named = await pier(["time-travel", "60", "--network", "Local A"]);
    expect(named.code).toBe(0);
    expect(named.stdout).toMatch(/^advanced 60 s on chain 31337: block \d+/);
  });

  test("plans create, subscriptions create|list|get|cancel; time-travel charges the next cycle", async () => {
    const plan = await pier(["plans", "create", "--amount", "4.50", "--description", "Tea club", "--json"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json).toMatchObject({ object: "plan", amount: "4.50", currency: "USD", interval: "month" });
    expect((await pier(["plans", "list"])).stdout).toContain(`${plan.json.id}  4.50 USD every month`);

    const created = await pier(["subscriptions", "create", "--plan", plan.json.id]);
    expect(created.code, created.stderr).toBe(0);
    const id = /^(sub_\w+)\s+incomplete/.exec(created.stdout)?.[1];
    expect(id).toBeDefined();
    expect(created.stdout).toMatch(new RegExp(`authorize\\s+\\S+/s/${id}`));

    // The customer's side (the hosted page's): allow the token, sign the permission, authorize.
    const payer = account("customer2");
    const token = s.stack.deployment.contracts.TestStablecoin!.address;
    await s.stack.pay.send("customer2", {
      address: token,
      abi: erc20Abi,
      functionName: "approve",
      args: [s.stack.deployment.contracts.SpendPermissions!.address, maxUint256],
    });
    await authorizeSubscription(s.client.withKey(undefined).post, id!, payer, token);

    const paidCycles = async () =>
      (await pier(["subscriptions", "get", id!, "--json"])).json.invoices.filter(
        (i: { status: string }) => i.status === "paid",
      ).length;
    await waitFor("the first cycle paid", async () => (await paidCycles()) === 1);
    expect((await pier(["time-travel", "31d"])).code).toBe(0);
    await waitFor("the second cycle paid after time travel", async () => (await paidCycles()) === 2);
    const got = await pier(["subscriptions", "get", id!]);
    expect(got.stdout).toMatch(new RegExp(`${id}  active\\s+plan ${plan.json.id}  charged 2  next charge `));
    expect(got.stdout).toMatch(/in_\w+ {2}cycle 1 {2}paid\s+4500000 {2}order ord_\w+ {2}attempts 1/);
    expect((await pier(["subscriptions", "list", "--status", "active"])).stdout).toContain(id);

    const canceled = await pier(["subscriptions", "cancel", id!, "--at-period-end", "--json"]);
    expect(canceled.json).toMatchObject({ status: "active", cancel_at_period_end: true });
    const again = await pier(["subscriptions", "cancel", id!]);
    expect(again.stdout).toMatch(new RegExp(`${id}  canceled`));
  });

  test("error: --network that is not the order's chain sends nothing; a chain without a URL is named", async () => {
    const order = (await pier(["orders", "create", "--amount", "1000000", "--json"])).json;
    const other = await pier(["pay", order.id, "--network", "1337", "--json"]);
    expect(other.code).toBe(1);
    // The API names the order's network ("Local" when it serves one from the legacy variables).
    expect(other.json.error.message).toMatch(
      new RegExp(`^${order.id} is on network 31337( \\([^)]+\\))?, not 1337: nothing was sent$`),
    );
    const unknown = await pier(["pay", order.id, "--network", "Mars"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--network Mars: not a chain id or a known network name");
    // The given RPC serves 31337: it is not taken for chain 1337, nor swapped for a default.
    const elsewhere = await pier(["time-travel", "1s", "--network", "1337"]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain(`serves chain 31337, not 1337: set PIER_RPC_URL_1337`);
    // The order is still open: nothing was paid.
    expect((await s.client.get(`/v1/orders/${order.id}`)).body.status).toBe("open");
    const paid = await pier(["pay", order.id, "--network", "31337", "--wait", "none", "--json"]);
    expect(paid.code).toBe(0);
    expect(paid.json.chain_id).toBe(31337);
  });
});

describe("admin and dashboard (the admin key)", () => {
  /** No admin key anywhere: not in the environment, and a dev data folder without one. */
  let emptyDataDir: string;
  beforeAll(async () => {
    emptyDataDir = await mkdtemp(join(tmpdir(), "pier-cli-data-"));
  });
  afterAll(async () => {
    if (emptyDataDir) await rm(emptyDataDir, { recursive: true, force: true });
  });
  const asAdmin = () => ({ PIER_ADMIN_KEY: s.adminKey, PIER_API_KEY: "", PIER_DEV_DATA_DIR: emptyDataDir });

  test("admin merchants create|list, keys create: a second merchant and its keys, each usable", async () => {
    const created = await pier(
      [
        "admin",
        "merchants",
        "create",
        "--name",
        "Second shop",
        "--payout-address",
        "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        "--json",
      ],
      asAdmin(),
    );
    expect(created.code, created.stderr).toBe(0);
    const merchantId = created.json.merchant.id as string;
    expect(created.json.secret_key).toMatch(/^sk_test_/);
    const status = await pier(["status", "--json"], { PIER_API_KEY: created.json.secret_key });
    expect(status.json.checks.api_key.detail).toContain(merchantId);

    const listed = await pier(["admin", "merchants", "list", "--json"], asAdmin());
    expect(listed.code).toBe(0);
    expect(listed.json.data.map((m: { id: string }) => m.id).slice(0, 2)).toEqual([merchantId, s.merchantId]);
    const human = await pier(["admin", "merchants", "list"], asAdmin());
    expect(human.stdout).toMatch(
      new RegExp(`${merchantId}  Second shop  payout 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC`),
    );

    const key = await pier(
      [
        "admin",
        "keys",
        "create",
        "--merchant",
        merchantId,
        "--name",
        "reader",
        "--restricted",
        "orders:read",
      ],
      asAdmin(),
    );
    expect(key.code, key.stderr).toBe(0);
    expect(key.stdout).toMatch(/restricted key "reader" {2}test mode {2}scopes orders:read/);
    const secret = /Secret \(shown once\): (sk_test_\w+)/.exec(key.stdout)![1]!;
    expect((await pier(["orders", "list", "--json"], { PIER_API_KEY: secret })).code).toBe(0);
    const refused = await pier(["orders", "create", "--amount", "1000000"], { PIER_API_KEY: secret });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("insufficient_scope");
  });

  test("behavior: without PIER_ADMIN_KEY the key ./scripts/dev wrote in its data folder is used", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "pier-cli-data-"));
    try {
      await writeFile(join(dataDir, "admin-key"), `${s.adminKey}\n`);
      const listed = await pier(["admin", "merchants", "list", "--json"], {
        PIER_ADMIN_KEY: "",
        PIER_DEV_DATA_DIR: dataDir,
      });
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.json.data.map((m: { id: string }) => m.id)).toContain(s.merchantId);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test("error: no admin key exits 2 naming PIER_ADMIN_KEY; a wrong one or a merchant key exits 1; bad input creates nothing", async () => {
    const none = await pier(["admin", "merchants", "list"], { ...asAdmin(), PIER_ADMIN_KEY: "" });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("PIER_ADMIN_KEY");
    const wrong = await pier(["dashboard"], { ...asAdmin(), PIER_ADMIN_KEY: s.secretKey });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/api_key_invalid.*HTTP 401/);
    const before = (await pier(["admin", "merchants", "list", "--json"], asAdmin())).json.data.length;
    const bad = await pier(
      ["admin", "merchants", "create", "--name", "Bad", "--payout-address", "0x00", "--json"],
      asAdmin(),
    );
    expect(bad.code).toBe(1);
    expect(bad.json.error.status).toBe(400);
    expect((await pier(["admin", "merchants", "list", "--json"], asAdmin())).json.data).toHaveLength(before);
    const mode = await pier(
      ["admin", "keys", "create", "--merchant", s.merchantId, "--mode", "prod"],
      asAdmin(),
    );
    expect(mode.code).toBe(2);
  });

  test("dashboard: a one-time link that signs in once as the merchant's owner", async () => {
    const human = await pier(["dashboard", "--merchant", s.merchantId], asAdmin());
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(
      `Open within 10 minutes; it signs in once, as the owner of ${s.merchantId}`,
    );
    const url = new URL(/\s(http\S+)/.exec(human.stdout)![1]!);
    expect(url.pathname).toBe("/dashboard/sign-in");
    const redeem = () =>
      fetch(`${s.api.url}/v1/dashboard/sign_in_links/redeem`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: url.searchParams.get("token") }),
      });
    const first = await redeem();
    expect(first.status).toBe(200);
    expect(first.headers.get("set-cookie")).toMatch(/^pier_session=/);
    expect((await redeem()).status).toBe(401);

    const json = await pier(["dashboard", "--json"], asAdmin());
    expect(json.json).toMatchObject({ object: "dashboard_sign_in_link", merchant: s.merchantId });
    const unknown = await pier(["dashboard", "--merchant", "mer_000000000000000000000000"], asAdmin());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("resource_missing");
  });
});

describe("listen and trigger", () => {
  let receiver: WebhookReceiver;
  let listen: ChildProcess;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    listen = spawn(process.execPath, [BIN, "listen", "--forward-to", receiver.url, "--json"], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    createInterface({ input: listen.stdout! }).on("line", (line) => lines.push(JSON.parse(line)));
    await waitFor("pier listen ready", async () => lines.find((l) => l.type === "ready"), {
      timeoutMs: 30_000,
    });
  });
  afterAll(async () => {
    if (listen && listen.exitCode === null) listen.kill("SIGKILL");
    await receiver?.close();
  });

  test("behavior: trigger order.escrowed reaches the handler through listen, re-signed", async () => {
    const ready = lines.find((l) => l.type === "ready") as { secret: string; endpoint: string };
    const triggered = await pier(["trigger", "order.escrowed", "--json"]);
    expect(triggered.code).toBe(0);
    expect(triggered.json.event).toMatchObject({ type: "order.escrowed", order: triggered.json.order });

    const delivery = await waitFor("the forwarded delivery", async () =>
      lines.find((l) => l.type === "delivery" && l.event === triggered.json.event.id),
    );
    expect(delivery).toMatchObject({
      event_type: "order.escrowed",
      object: triggered.json.order,
      status: 200,
    });
    const forwarded = receiver.received.find((r) => r.body?.id === triggered.json.event.id)!;
    const event = constructEvent(forwarded.rawBody, forwarded.headers["pier-signature"], ready.secret);
    expect(event.type).toBe("order.escrowed");
  });

  test("behavior: trigger order.settled time-travels and waits for the keeper; listen forwards it", async () => {
    const triggered = await pier(["trigger", "order.settled"]);
    expect(triggered.code).toBe(0);
    expect(triggered.stdout).toMatch(/time-travelled \d+ s/);
    const id = /order\.settled (evt_\w+) stored for (ord_\w+)/.exec(triggered.stdout);
    expect(id).not.toBeNull();
    await waitFor("order.settled forwarded", async () =>
      lines.find((l) => l.type === "delivery" && l.event === id![1] && l.status === 200),
    );
  });

  test("behavior: trigger refunded, disputed, canceled, expired: each stored on its own order", async () => {
    for (const type of ["order.refunded", "order.disputed", "order.canceled", "order.expired"]) {
      const triggered = await pier(["trigger", type, "--json"]);
      expect(triggered.code, `${type}: ${triggered.stderr}`).toBe(0);
      expect(triggered.json.event).toMatchObject({ type, order: triggered.json.order });
      const order = (await s.client.get(`/v1/orders/${triggered.json.order}`)).body;
      expect(order.status).toBe(type.slice("order.".length));
      expect(order.metadata).toEqual({ pier_trigger: type });
    }
    const unknown = await pier(["trigger", "order.teleported"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("cannot trigger");
  });

  test("behavior: listen whose reader is gone (pier listen | head) deletes its endpoint and exits 0", async () => {
    const second = spawn(process.execPath, [BIN, "listen", "--forward-to", receiver.url, "--json"], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    second.stderr!.on("data", (c) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => second.once("exit", resolve));
    const ready = await new Promise<{ endpoint: string }>((resolve) =>
      createInterface({ input: second.stdout! }).once("line", (line) => resolve(JSON.parse(line))),
    );
    second.stdout!.destroy();
    // Its next line (the delivery of this event) meets the closed pipe.
    expect((await pier(["trigger", "order.escrowed", "--json"])).code).toBe(0);
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
    expect((await s.client.get(`/v1/webhook_endpoints/${ready.endpoint}`)).status).toBe(404);
  });

  test("behavior: on SIGTERM listen deletes its endpoint and exits 0", async () => {
    const ready = lines.find((l) => l.type === "ready") as { endpoint: string };
    const exited = new Promise<number | null>((resolve) => listen.once("exit", resolve));
    listen.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(lines.find((l) => l.type === "stopped")).toMatchObject({ endpoint: ready.endpoint });
    expect((await s.client.get(`/v1/webhook_endpoints/${ready.endpoint}`)).status).toBe(404);
  });
});

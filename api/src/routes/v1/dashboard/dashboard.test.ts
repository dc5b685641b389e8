/**
 * /v1/dashboard against a real API process: Sign-In with Ethereum (good and refused messages, each
 * refusal changing nothing), the session cookie on merchant routes with CSRF, passkey step-up
 * enforcement, logout. The passkey ceremony itself runs in Chromium (test/browser/dashboard-*.test.ts).
 */
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  http,
  serializeErc6492Signature,
} from "viem";
import { createSiweMessage } from "viem/siwe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mockSmartWalletFactoryAbi } from "../../../../../contracts/generated/abis.ts";
import { mockSmartWalletFactoryBytecode } from "../../../../../contracts/generated/bytecode.ts";
import { devAccount } from "../../../../../contracts/lib/accounts.ts";
import type { ApiClient } from "../../../../../test/harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../../../../../test/harness/apiStack.ts";

const DASHBOARD = "http://localhost:5173";
const owner = devAccount("merchant");
const stranger = devAccount("customer");

let s: ApiStack;
let anon: ApiClient;
beforeAll(async () => {
  s = await startApiStack({ PIER_DASHBOARD_URL: DASHBOARD });
  anon = s.client.withKey(undefined);
});
afterAll(async () => {
  await s?.stop();
});

interface Nonce {
  nonce: string;
  domain: string;
  uri: string;
  chain_id: number;
  statement: string;
}

async function nonce(): Promise<Nonce> {
  const res = await anon.post("/v1/dashboard/siwe/nonce");
  expect(res.status).toBe(200);
  return res.body;
}

function message(n: Nonce, overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {}): string {
  return createSiweMessage({
    address: owner.address,
    chainId: n.chain_id,
    domain: n.domain,
    nonce: n.nonce,
    uri: n.uri,
    version: "1",
    statement: n.statement,
    issuedAt: new Date(),
    expirationTime: new Date(Date.now() + 600_000),
    ...overrides,
  });
}

async function verify(msg: string, signer = owner) {
  return anon.post("/v1/dashboard/siwe/verify", {
    message: msg,
    signature: await signer.signMessage({ message: msg }),
  });
}

async function sessionCount(): Promise<number> {
  const { rows } = await s.stack.db.query("SELECT count(*)::int AS n FROM pier_api.dashboard_sessions");
  return rows[0].n;
}

/** Signs in and returns a client that sends the cookie (and, when asked, the CSRF token). */
async function signIn(): Promise<{ cookie: string; csrf: string; body: Record<string, unknown> }> {
  const res = await verify(message(await nonce()));
  expect(res.status).toBe(200);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  return { cookie, csrf: res.body.csrf_token, body: res.body };
}

describe("dashboard sign-in (SIWE)", () => {
  test("default: the owner wallet signs in; HttpOnly SameSite=Strict cookie; the session reads merchant routes", async () => {
    const n = await nonce();
    expect(n).toMatchObject({ domain: "localhost:5173", uri: `${DASHBOARD}/dashboard`, chain_id: 31337 });
    expect(n.nonce).toMatch(/^[0-9A-Za-z]{8,}$/);
    const res = await verify(message(n));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: "dashboard_session",
      merchant: { id: s.merchantId, name: "Test shop" },
      address: owner.address,
      passkeys: 0,
      step_up_until: null,
    });
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^pier_session=[0-9A-Za-z]{43};/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/v1");
    const cookie = setCookie.split(";")[0]!;
    const me = await anon.get("/v1/dashboard/session", { headers: { cookie } });
    expect(me.body.merchant.id).toBe(s.merchantId);
    const orders = await anon.get("/v1/orders", { headers: { cookie } });
    expect(orders.status).toBe(200);
    expect(orders.body.object).toBe("list");
    // The token is stored only hashed.
    const { rows } = await s.stack.db.query("SELECT token_hash FROM pier_api.dashboard_sessions");
    expect(JSON.stringify(rows)).not.toContain(cookie.split("=")[1]);
  });

  test("error: a bad signature is refused and consumes nothing; the same nonce then works once, and only once", async () => {
    const n = await nonce();
    const msg = message(n);
    const before = await sessionCount();
    const bad = await verify(msg, stranger);
    expect(bad.status).toBe(401);
    expect(bad.body.error).toMatchObject({ type: "authentication_error", code: "siwe_signature_invalid" });
    expect(bad.headers.get("set-cookie")).toBeNull();
    expect(await sessionCount()).toBe(before);

    expect((await verify(msg)).status).toBe(200);
    const reused = await verify(msg);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toMatchObject({ code: "siwe_nonce_invalid", param: "message" });
    expect(reused.headers.get("set-cookie")).toBeNull();
    expect(await sessionCount()).toBe(before + 1);
  });

  test("error: expired, wrong domain, wrong URI, wrong chain, unknown nonce, not the owner -> clear codes, no session", async () => {
    const n = await nonce();
    const before = await sessionCount();
    const cases: [string, string, number][] = [
      [
        message(n, { expirationTime: new Date(Date.now() - 1000), issuedAt: new Date(Date.now() - 60_000) }),
        "siwe_expired",
        400,
      ],
      [message(n, { domain: "evil.example" }), "siwe_domain_mismatch", 400],
      [message(n, { uri: "https://evil.example/dashboard" }), "siwe_uri_mismatch", 400],
      [message(n, { chainId: 1 }), "siwe_chain_mismatch", 400],
      [message(n, { nonce: "neverissued123" }), "siwe_nonce_invalid", 400],
      [message(n, { address: stranger.address }), "not_merchant_member", 401],
    ];
    for (const [msg, code, status] of cases) {
      const signer = msg.includes(stranger.address) ? stranger : owner;
      const res = await verify(msg, signer);
      expect({ code: res.body.error?.code, status: res.status }).toEqual({ code, status });
      expect(res.body.error.message.length).toBeGreaterThan(10);
    }
    const garbage = await anon.post("/v1/dashboard/siwe/verify", { message: "hello", signature: "0x00" });
    expect(garbage.body.error.code).toBe("siwe_message_invalid");
    expect(await sessionCount()).toBe(before);
    // The nonce survived all of that.
    expect((await verify(message(n))).status).toBe(200);
  });
});

describe("smart-contract wallets sign in (ERC-1271, ERC-6492)", () => {
  const walletOwner = devAccount("customer2");
  let factory: Address;
  const clients = () => {
    const chain = defineChain({
      id: 31337,
      name: "Local",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [s.stack.chain.rpcUrl] } },
    });
    return {
      pub: createPublicClient({ chain, transport: http() }),
      wallet: createWalletClient({ chain, transport: http(), account: devAccount("deployer") }),
    };
  };
  const addressOf = (salt: `0x${string}`) =>
    clients().pub.readContract({
      address: factory,
      abi: mockSmartWalletFactoryAbi,
      functionName: "addressOf",
      args: [walletOwner.address, salt],
    });
  const deployCall = (salt: `0x${string}`) =>
    encodeFunctionData({
      abi: mockSmartWalletFactoryAbi,
      functionName: "deploy",
      args: [walletOwner.address, salt],
    });
  /** A merchant whose dashboard owner is `ownerAddress` (a wallet contract, deployed or not). */
  async function merchantOwnedBy(ownerAddress: Address): Promise<string> {
    const res = await s.client.withKey(s.adminKey).post("/v1/admin/merchants", {
      name: "Smart shop",
      payout_address: walletOwner.address,
      owner_address: ownerAddress,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.merchant.id;
  }

  beforeAll(async () => {
    const { pub, wallet } = clients();
    const hash = await wallet.deployContract({
      abi: mockSmartWalletFactoryAbi,
      bytecode: mockSmartWalletFactoryBytecode,
    });
    factory = (await pub.waitForTransactionReceipt({ hash })).contractAddress!;
  });

  test("behavior: a deployed ERC-1271 wallet signs in with its owner key's signature; another key's is refused", async () => {
    const salt = `0x${"11".repeat(32)}` as const;
    const { pub, wallet } = clients();
    const hash = await wallet.writeContract({
      address: factory,
      abi: mockSmartWalletFactoryAbi,
      functionName: "deploy",
      args: [walletOwner.address, salt],
    });
    await pub.waitForTransactionReceipt({ hash });
    const smart = await addressOf(salt);
    expect(await pub.getCode({ address: smart })).not.toBeUndefined();
    const merchant = await merchantOwnedBy(smart);

    const msg = message(await nonce(), { address: smart });
    const refused = await anon.post("/v1/dashboard/siwe/verify", {
      message: msg,
      signature: await stranger.signMessage({ message: msg }),
      merchant,
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("siwe_signature_invalid");
    const res = await anon.post("/v1/dashboard/siwe/verify", {
      message: msg,
      signature: await walletOwner.signMessage({ message: msg }),
      merchant,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ address: smart, merchant: { id: merchant } });
  });

  test("behavior: a wallet not deployed yet signs in with an ERC-6492 signature, and stays undeployed", async () => {
    const salt = `0x${"22".repeat(32)}` as const;
    const smart = await addressOf(salt);
    expect(await clients().pub.getCode({ address: smart })).toBeUndefined();
    const merchant = await merchantOwnedBy(smart);
    const msg = message(await nonce(), { address: smart });
    const wrap = async (signer: typeof walletOwner) =>
      serializeErc6492Signature({
        address: factory,
        data: deployCall(salt),
        signature: await signer.signMessage({ message: msg }),
      });
    const refused = await anon.post("/v1/dashboard/siwe/verify", {
      message: msg,
      signature: await wrap(stranger),
      merchant,
    });
    expect(refused.status).toBe(401);
    const res = await anon.post("/v1/dashboard/siwe/verify", {
      message: msg,
      signature: await wrap(walletOwner),
      merchant,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.address).toBe(smart);
    // Verified by simulation (eth_call): signing in deploys nothing.
    expect(await clients().pub.getCode({ address: smart })).toBeUndefined();
  });
});

describe("dashboard sign-in modes", () => {
  test("behavior: this API serves test networks only: a nonce for live data is refused, test data is the default", async () => {
    const liveNonce = await anon.post("/v1/dashboard/siwe/nonce", { livemode: true });
    expect(liveNonce.status).toBe(400);
    expect(liveNonce.body.error).toMatchObject({ code: "parameter_invalid", param: "livemode" });
    expect(liveNonce.body.error.message).toContain("no live network");
    const testNonce = await anon.post("/v1/dashboard/siwe/nonce", { livemode: false });
    expect(testNonce.body.chain_id).toBe(31337);
    const stray = await anon.post("/v1/dashboard/siwe/nonce", { livemode: "yes" });
    expect(stray.status).toBe(400);
  });
});

describe("dashboard session on merchant routes", () => {
  test("behavior: unsafe methods need the CSRF token and the dashboard's Origin; bearer keys are unchanged", async () => {
    const { cookie, csrf } = await signIn();
    const noToken = await anon.post("/v1/orders", { amount: "1000000" }, { headers: { cookie } });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe("csrf_token_invalid");
    const wrongOrigin = await anon.post(
      "/v1/orders",
      { amount: "1000000" },
      { headers: { cookie, "x-csrf-token": csrf, origin: "https://evil.example" } },
    );
    expect(wrongOrigin.body.error.code).toBe("csrf_origin_mismatch");
    const ok = await anon.post(
      "/v1/orders",
      { amount: "1000000" },
      { headers: { cookie, "x-csrf-token": csrf, origin: DASHBOARD } },
    );
    expect(ok.status).toBe(200);
    const { rows } = await s.stack.db.query(
      "SELECT count(*)::int AS n FROM pier_api.orders WHERE merchant_id = $1",
      [s.merchantId],
    );
    expect(rows[0].n).toBe(1);
    expect((await s.client.get(`/v1/orders/${ok.body.id}`)).status).toBe(200);
  });

  test("behavior: with a passkey registered, refunds, early releases, key and webhook changes need a fresh step-up (403 step_up_required); reads and bearer keys do not", async () => {
    const { cookie, csrf } = await signIn();
    const headers = { cookie, "x-csrf-token": csrf };
    // Before any passkey: no step-up needed.
    expect((await anon.post("/v1/keys", { name: "ci", type: "secret" }, { headers })).status).toBe(200);

    await s.stack.db.query(
      "INSERT INTO pier_api.passkeys (id, merchant_id, name, public_key, address) VALUES ('test-credential', $1, 'test', '\\x00', $2)",
      [s.merchantId, owner.address],
    );
    const keysBefore = (await s.client.get("/v1/keys?limit=100")).body.data.length;
    for (const [path, body] of [
      ["/v1/keys", { name: "blocked", type: "secret" }],
      ["/v1/webhook_endpoints", { url: "http://127.0.0.1:9/hook", enabled_events: ["*"] }],
      ["/v1/refunds", { order: "ord_000000000000000000000000", amount: "1" }],
      ["/v1/orders/ord_000000000000000000000000/release", {}],
    ] as const) {
      const res = await anon.post(path, body, { headers });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ type: "permission_error", code: "step_up_required" });
    }
    expect((await s.client.get("/v1/keys?limit=100")).body.data.length).toBe(keysBefore);
    expect((await anon.get("/v1/keys", { headers: { cookie } })).status).toBe(200);
    expect((await s.client.post("/v1/keys", { name: "via bearer", type: "secret" })).status).toBe(200);
    // Another passkey may only be added after a step-up too.
    const addAnother = await anon.post("/v1/dashboard/passkeys/registration/options", {}, { headers });
    expect(addAnother.body.error.code).toBe("step_up_required");
    const options = await anon.post("/v1/dashboard/passkeys/authentication/options", {}, { headers });
    expect(options.status).toBe(200);
    expect(options.body.allowCredentials).toEqual([expect.objectContaining({ id: "test-credential" })]);

    // A step-up older than five minutes does not count; a fresh one does.
    await s.stack.db.query(
      "UPDATE pier_api.dashboard_sessions SET step_up_at = now() - interval '6 minutes'",
    );
    expect(
      (await anon.post("/v1/keys", { name: "stale", type: "secret" }, { headers })).body.error.code,
    ).toBe("step_up_required");
    await s.stack.db.query("UPDATE pier_api.dashboard_sessions SET step_up_at = now()");
    expect((await anon.post("/v1/keys", { name: "fresh", type: "secret" }, { headers })).status).toBe(200);
    await s.stack.db.query("DELETE FROM pier_api.passkeys WHERE id = 'test-credential'");
  });

  test("behavior: logout ends the session; its cookie is then refused with a clear code", async () => {
    const { cookie, csrf } = await signIn();
    const out = await anon.post("/v1/dashboard/logout", {}, { headers: { cookie, "x-csrf-token": csrf } });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/^pier_session=;/);
    const after = await anon.get("/v1/orders", { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("session_invalid");
    const none = await anon.get("/v1/dashboard/session");
    expect(none.body.error.code).toBe("session_missing");
  });

  test("default: GET /v1/reports/daily lists the merchant's days; a bad range is a 400", async () => {
    const res = await s.client.get("/v1/reports/daily");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: "list", data: [] });
    const bad = await s.client.get("/v1/reports/daily?from=2026-02-01&to=2026-01-01");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "parameter_invalid", param: "from" });
  });
});

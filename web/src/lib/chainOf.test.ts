/** Which RPC the checkout reads an order's chain through, with per-chain URLs (VITE_PIER_RPC_URLS). */
import { describe, expect, test, vi } from "vitest";
import { chainOf, rpcUrlOf } from "./chainOf.ts";
import { parseRpcUrls } from "./env.ts";

const A = "http://127.0.0.1:8545";
const B = "http://127.0.0.1:8546";

describe("rpcUrlOf", () => {
  const settings = { rpcUrl: "https://rpc.example", rpcUrls: { 31337: A, 1337: B } };

  test("default: each chain is read through its own entry of VITE_PIER_RPC_URLS", () => {
    expect(rpcUrlOf(31337, undefined, settings)).toBe(A);
    expect(rpcUrlOf(1337, undefined, settings)).toBe(B);
  });

  test("behavior: the checkout payload's rpc_url wins; VITE_PIER_RPC_URL covers chains without an entry", () => {
    expect(rpcUrlOf(1337, "https://api-said.example", settings)).toBe("https://api-said.example");
    expect(rpcUrlOf(8453, undefined, settings)).toBe("https://rpc.example");
    expect(rpcUrlOf(8453, undefined, { rpcUrls: {} })).toBeUndefined();
  });
});

describe("parseRpcUrls", () => {
  test("default: a JSON object from chain id to URL", () => {
    expect(parseRpcUrls(JSON.stringify({ 31337: A, "1337": B }))).toEqual({ 31337: A, 1337: B });
    expect(parseRpcUrls(undefined)).toEqual({});
  });

  test("error: bad JSON, a non-object or bad entries are left out with a warning, never thrown", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(parseRpcUrls("{not json")).toEqual({});
    expect(parseRpcUrls(JSON.stringify([A]))).toEqual({});
    expect(parseRpcUrls(JSON.stringify({ abc: A, 1337: "ftp://x", 31337: A, 10: 5 }))).toEqual({ 31337: A });
    expect(warn).toHaveBeenCalledTimes(5);
    warn.mockRestore();
  });
});

describe("chainOf", () => {
  test("behavior: chain B (1337) is a local testnet with its checkout rpc_url", () => {
    const chain = chainOf({ chain_id: 1337, rpc_url: B, block_explorer_url: undefined });
    expect(chain.id).toBe(1337);
    expect(chain.testnet).toBe(true);
    expect(chain.rpcUrls.default.http).toEqual([B]);
  });
});

/** Which RPC the checkout reads an order's chain through, with per-chain URLs (VITE_PIER_RPC_URLS). */
import { describe, expect, test, vi } from "vitest";
import { chainOf, chainsOf, rpcUrlOf, tokenUrl, txUrl } from "./chainOf.ts";
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

describe("chainOf with the API's network", () => {
  test("default: the network's name and explorer win over the static table", () => {
    const chain = chainOf({
      chain_id: 8453,
      network: { name: "Base (Pier)", testnet: false, explorer_url: "https://explorer.example/" },
    });
    expect(chain.name).toBe("Base (Pier)");
    expect(txUrl(chain, "0xabc")).toBe("https://explorer.example/tx/0xabc");
    expect(tokenUrl(chain, "0xdef")).toBe("https://explorer.example/token/0xdef");
  });

  test("behavior: without a network explorer the table's is kept; an unknown chain without one has no links", () => {
    const chain = chainOf({ chain_id: 8453, network: { name: "Base", testnet: false, explorer_url: null } });
    expect(txUrl(chain, "0xabc")).toBe("https://basescan.org/tx/0xabc");
    expect(tokenUrl(chainOf({ chain_id: 999_999 }), "0xdef")).toBeUndefined();
    expect(chainOf({ chain_id: 999_999 }).name).toBe("chain 999999");
  });

  test("behavior: chainsOf lists the checkout's chain first, then each other option's chain once", () => {
    const net = (name: string) => ({ name, testnet: true, explorer_url: null });
    const chains = chainsOf({
      chain_id: 1337,
      network: net("Local B"),
      options: [
        { chain_id: 31337, network: net("Local A") },
        { chain_id: 1337, network: net("Local B") },
        { chain_id: 31337, network: net("Local A") },
      ],
    });
    expect(chains.map((c) => [c.id, c.name])).toEqual([
      [1337, "Local B"],
      [31337, "Local A"],
    ]);
  });

  test("behavior: with several chains, the single-chain VITE_PIER_RPC_URL and explorer apply to none of them", () => {
    const settings = {
      rpcUrl: "https://rpc.example",
      rpcUrls: { 1337: B },
      explorerUrl: "https://scan.example",
    };
    const net = (name: string) => ({ name, testnet: true, explorer_url: null });
    const one = chainsOf({ chain_id: 31337, network: net("Local A") }, settings);
    expect(one[0].rpcUrls.default.http).toEqual(["https://rpc.example"]);
    expect(txUrl(one[0], "0xabc")).toBe("https://scan.example/tx/0xabc");
    const two = chainsOf(
      { chain_id: 31337, network: net("Local A"), options: [{ chain_id: 1337, network: net("Local B") }] },
      settings,
    );
    expect(two.map((c) => c.rpcUrls.default.http)).toEqual([[], [B]]);
    expect(two.map((c) => txUrl(c, "0xabc"))).toEqual([undefined, undefined]);
  });
});

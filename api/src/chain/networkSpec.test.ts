import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { Config } from "../config.ts";
import { ConfigError } from "../lib/env.ts";
import { parseNetworkSpecs, readNetworkSpecs } from "./networkSpec.ts";

const config = { tokenPeg: "USD", confirmations: undefined };
const usdc = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
const eurc = "0x60a3E35Cc302bFA44Cb288Bc5a4F316Fdb1adb42";
const parse = (networks: unknown) => parseNetworkSpecs({ networks }, config, "networks.json");

describe("PIER_NETWORKS_FILE", () => {
  test("two networks: presets fill name, confirmations, testnet and explorer; the file's values win", () => {
    const [base, local] = parse([
      {
        chain_id: 8453,
        rpc_urls: ["https://a.example", "https://b.example"],
        tokens: [
          { address: usdc, methods: ["authorization", "permit"] },
          { address: eurc, peg: "EUR" },
        ],
      },
      { chain_id: 1337, name: "Local B", rpc_urls: ["http://127.0.0.1:8546"], confirmations: 2 },
    ]);
    expect(base).toMatchObject({
      chainId: 8453,
      name: "Base",
      rpcUrls: ["https://a.example", "https://b.example"],
      confirmations: 10,
      testnet: false,
      explorerUrl: "https://basescan.org",
      tokens: [
        { address: usdc, peg: "USD", methods: ["authorization", "permit"] },
        { address: eurc, peg: "EUR", methods: undefined },
      ],
    });
    expect(local).toMatchObject({
      chainId: 1337,
      name: "Local B",
      confirmations: 2,
      testnet: true,
      tokens: [],
    });
  });

  test("PIER_CONFIRMATIONS applies to every network that names none, before the preset", () => {
    const [base, named] = parseNetworkSpecs(
      {
        networks: [
          { chain_id: 8453, rpc_urls: ["https://a.example"] },
          { chain_id: 1, rpc_urls: ["https://b.example"], confirmations: 5 },
        ],
      },
      { tokenPeg: "USD", confirmations: 3 },
      "networks.json",
    );
    expect([base!.confirmations, named!.confirmations]).toEqual([3, 5]);
  });

  test("paymaster_url: kept per network as given; unset: none", () => {
    const url = "https://api.pimlico.io/v2/8453/rpc?apikey=pim_public";
    const [base, arbitrum] = parse([
      { chain_id: 8453, rpc_urls: ["https://a.example"], paymaster_url: url },
      { chain_id: 42161, rpc_urls: ["https://b.example"] },
    ]);
    expect([base!.paymasterUrl, arbitrum!.paymasterUrl]).toEqual([url, undefined]);
  });

  test("a chain id not in the presets gets a plain name and counts as a mainnet unless told", () => {
    const [n] = parse([{ chain_id: 424242, rpc_urls: ["https://rpc.example"] }]);
    expect(n).toMatchObject({ name: "chain 424242", testnet: false, confirmations: undefined });
  });

  test.each([
    ["no networks", [], /networks: must NOT have fewer than 1 items/],
    ["no RPC URL", [{ chain_id: 1, rpc_urls: [] }], /rpc_urls: must NOT have fewer than 1 items/],
    ["a bad address", [{ chain_id: 1, rpc_urls: ["https://x"], tokens: [{ address: "0x12" }] }], /address/],
    [
      "an unknown method",
      [{ chain_id: 1, rpc_urls: ["https://x"], tokens: [{ address: usdc, methods: ["magic"] }] }],
      /methods/,
    ],
    [
      "an unknown field",
      [{ chain_id: 1, rpc_urls: ["https://x"], rpc: "https://x" }],
      /additional properties/,
    ],
    [
      "one chain twice",
      [
        { chain_id: 1, rpc_urls: ["https://x"] },
        { chain_id: 1, rpc_urls: ["https://y"] },
      ],
      /lists chain 1 twice/,
    ],
    [
      "one token twice",
      [
        {
          chain_id: 1,
          rpc_urls: ["https://x"],
          tokens: [{ address: usdc }, { address: usdc.toLowerCase() }],
        },
      ],
      /lists a token twice on chain 1/,
    ],
    [
      "a paymaster_url of another scheme",
      [{ chain_id: 8453, rpc_urls: ["https://x"], paymaster_url: "wss://paymaster.example" }],
      /\/networks\/0\/paymaster_url \(chain 8453\): must be an http\(s\) URL, not wss:\/\//,
    ],
    [
      "a paymaster_url that is no URL",
      [
        { chain_id: 1, rpc_urls: ["https://x"] },
        { chain_id: 10, rpc_urls: ["https://y"], paymaster_url: "paymaster.example/rpc" },
      ],
      /\/networks\/1\/paymaster_url \(chain 10\): must be an absolute http\(s\) URL/,
    ],
    [
      "a paymaster_url that is not a string",
      [{ chain_id: 1, rpc_urls: ["https://x"], paymaster_url: true }],
      /paymaster_url: must be string/,
    ],
  ])("error: %s is refused with a ConfigError naming the problem", (_name, networks, message) => {
    expect(() => parse(networks)).toThrow(ConfigError);
    expect(() => parse(networks)).toThrow(message);
  });
});

describe("modes", () => {
  // One folder for the networks files this block writes, removed after it.
  const dir = mkdtempSync(join(tmpdir(), "pier-networks-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("error: PIER_LIVEMODE beside a networks file is refused (each network's `testnet` says its mode)", () => {
    const file = join(dir, "livemode.json");
    writeFileSync(file, JSON.stringify({ networks: [{ chain_id: 8453, rpc_urls: ["https://a.example"] }] }));
    const base = { tokenPeg: "USD", confirmations: undefined, networksFile: file } as Config;
    expect(readNetworkSpecs({ ...base, livemode: undefined })[0]!.testnet).toBe(false);
    expect(() => readNetworkSpecs({ ...base, livemode: true })).toThrow(/PIER_LIVEMODE applies only without/);
    expect(() => readNetworkSpecs({ ...base, livemode: false })).toThrow(ConfigError);
  });

  test("PIER_PAYMASTER_URL is the single network's; beside a networks file it is refused (one service per chain)", () => {
    const url = "https://paymaster.example/rpc";
    const single = { tokenPeg: "USD", rpcUrl: "http://127.0.0.1:8545", paymasterUrl: url } as Config;
    expect(readNetworkSpecs(single)[0]!.paymasterUrl).toBe(url);
    expect(readNetworkSpecs({ ...single, paymasterUrl: undefined })[0]!.paymasterUrl).toBeUndefined();
    const file = join(dir, "paymaster.json");
    writeFileSync(file, JSON.stringify({ networks: [{ chain_id: 8453, rpc_urls: ["https://a.example"] }] }));
    expect(() => readNetworkSpecs({ ...single, networksFile: file })).toThrow(
      /PIER_PAYMASTER_URL applies only without PIER_NETWORKS_FILE/,
    );
  });
});

import { getAddress } from "viem";
import * as chains from "viem/chains";
import { expect, test } from "vitest";
import { networks } from "../lib/networks.ts";

test("default: every preset stablecoin address is a valid, checksummed address", () => {
  for (const [key, preset] of Object.entries(networks))
    for (const coin of preset.stablecoins)
      expect(getAddress(coin.address), `${key} ${coin.symbol}`).toBe(coin.address);
});

test("behavior: presets agree with viem's chain data on id, name family and testnet flag", () => {
  const ids = Object.values(networks).map((n) => n.chainId);
  expect(new Set(ids).size).toBe(ids.length);
  const viemChains = Object.values(chains) as { id: number; testnet?: boolean }[];
  for (const [key, preset] of Object.entries(networks)) {
    const chain = viemChains.find((c) => c.id === preset.chainId);
    expect(chain, key).toBeDefined();
    expect(Boolean(chain?.testnet), key).toBe(preset.testnet);
    expect(preset.explorerUrl, key).toMatch(/^https:\/\//);
    if (preset.rpcUrl) expect(preset.rpcUrl, key).toMatch(/^https:\/\//);
  }
});

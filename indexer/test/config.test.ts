/** The indexer's environment and schema naming, without starting anything. */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Deployment } from "../../contracts/lib/deployments.ts";
import { IndexerConfigError, readIndexerConfig } from "../lib/config.ts";
import { indexerSchemaName, indexingCodeHash } from "../lib/schema-name.ts";

const dir = mkdtempSync(join(tmpdir(), "pier-indexer-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function deploymentFile(name: string, overrides: Partial<Deployment> = {}): string {
  const d: Deployment = {
    chainId: 31337,
    genesisHash: `0x${"1a".repeat(32)}`,
    deployedAt: "2026-01-01T00:00:00.000Z",
    contracts: {
      PaymentEscrow: {
        address: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
        blockNumber: 1,
        txHash: `0x${"00".repeat(32)}`,
      },
    },
    roles: {
      owner: "0x0000000000000000000000000000000000000001",
      operator: "0x0000000000000000000000000000000000000002",
      arbiter: "0x0000000000000000000000000000000000000003",
      feeRecipient: "0x0000000000000000000000000000000000000004",
    },
    ...overrides,
  };
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(d));
  return path;
}

const DB = "postgres://pier:pier@127.0.0.1:5432/pier";

describe("readIndexerConfig", () => {
  it("default: the local chain, polled every 100 ms, no RPC cache, zero blooms trusted, from the deployment block", () => {
    const file = deploymentFile("local.json");
    const config = readIndexerConfig({ DATABASE_URL: DB, PIER_DEPLOYMENT_FILE: file });
    expect(config).toEqual({
      databaseUrl: DB,
      chains: [
        {
          name: "local",
          chainId: 31337,
          genesisHash: `0x${"1a".repeat(32)}`,
          rpcUrl: "http://127.0.0.1:8545",
          wsUrl: undefined,
          pollingIntervalMs: 100,
          rpcRps: 500,
          trustZeroLogsBloom: true,
          disableCache: true,
          escrow: { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", startBlock: 1 },
        },
      ],
    });
  });

  it("behavior: a remote chain needs its RPC URL, caches RPC data, polls every second and fetches zero-bloom blocks", () => {
    const file = deploymentFile("base.json", { chainId: 8453 });
    expect(() =>
      readIndexerConfig({ DATABASE_URL: DB, PIER_DEPLOYMENT_FILE: `${file},${deploymentFile("l.json")}` }),
    ).toThrow(/PIER_RPC_URL_8453/);
    const [chain] = readIndexerConfig({
      DATABASE_URL: DB,
      PIER_DEPLOYMENT_FILE: file,
      PIER_RPC_URL: "https://rpc.example/base",
      PIER_WS_URL: "wss://rpc.example/base",
    }).chains;
    expect(chain).toMatchObject({
      name: "chain8453",
      rpcUrl: "https://rpc.example/base",
      wsUrl: "wss://rpc.example/base",
      pollingIntervalMs: 1_000,
      trustZeroLogsBloom: false,
      disableCache: false,
    });
  });

  it("behavior: several chains, each with its own per-chain URL", () => {
    const files = [deploymentFile("a.json", { chainId: 10 }), deploymentFile("b.json", { chainId: 8453 })];
    const config = readIndexerConfig({
      DATABASE_URL: DB,
      PIER_DEPLOYMENT_FILE: files.join(","),
      PIER_RPC_URL_10: "https://op",
      PIER_RPC_URL_8453: "https://base",
      PIER_INDEXER_POLLING_MS: "250",
    });
    expect(config.chains.map((c) => [c.name, c.rpcUrl, c.wsUrl, c.pollingIntervalMs])).toEqual([
      ["chain10", "https://op", undefined, 250],
      ["chain8453", "https://base", undefined, 250],
    ]);
  });

  it("behavior: Ponder's starting RPC budget is 500 on a local chain, Ponder's own elsewhere, per chain when set", () => {
    const files = [deploymentFile("local.json"), deploymentFile("base.json", { chainId: 8453 })];
    const env = {
      DATABASE_URL: DB,
      PIER_DEPLOYMENT_FILE: files.join(","),
      PIER_RPC_URL_8453: "https://base",
    };
    expect(readIndexerConfig(env).chains.map((c) => [c.chainId, c.rpcRps])).toEqual([
      [31337, 500],
      [8453, undefined],
    ]);
    const set = readIndexerConfig({ ...env, PIER_INDEXER_RPC_RPS: "40", PIER_INDEXER_RPC_RPS_8453: "100" });
    expect(set.chains.map((c) => [c.chainId, c.rpcRps])).toEqual([
      [31337, 40],
      [8453, 100],
    ]);
    for (const bad of ["2", "501", "1.5", "many"]) {
      expect(() => readIndexerConfig({ ...env, PIER_INDEXER_RPC_RPS_8453: bad })).toThrow(
        /PIER_INDEXER_RPC_RPS_8453 must be an integer from 3 to 500/,
      );
    }
  });

  it("error: missing DATABASE_URL, unreadable deployment, bad polling interval, bad ws URL, duplicate chain", () => {
    const file = deploymentFile("ok.json");
    expect(() => readIndexerConfig({ PIER_DEPLOYMENT_FILE: file })).toThrow(/DATABASE_URL/);
    expect(() =>
      readIndexerConfig({ DATABASE_URL: DB, PIER_DEPLOYMENT_FILE: join(dir, "missing.json") }),
    ).toThrow(IndexerConfigError);
    expect(() =>
      readIndexerConfig({ DATABASE_URL: DB, PIER_DEPLOYMENT_FILE: file, PIER_INDEXER_POLLING_MS: "50" }),
    ).toThrow(/PIER_INDEXER_POLLING_MS/);
    expect(() =>
      readIndexerConfig({ DATABASE_URL: DB, PIER_DEPLOYMENT_FILE: file, PIER_WS_URL: "http://x" }),
    ).toThrow(/ws:\/\//);
    expect(() => readIndexerConfig({ DATABASE_URL: DB, PIER_DEPLOYMENT_FILE: `${file},${file}` })).toThrow(
      /twice/,
    );
    const broken = deploymentFile("broken.json", { genesisHash: "0x12" });
    expect(() => readIndexerConfig({ DATABASE_URL: DB, PIER_DEPLOYMENT_FILE: broken })).toThrow(
      /genesisHash/,
    );
  });
});

describe("indexerSchemaName", () => {
  const chain = {
    chainId: 31337,
    genesisHash: `0x${"1a".repeat(32)}` as const,
    escrow: { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const, startBlock: 1 },
  };

  it("default: chain id, genesis, escrow and code, within Ponder's 45 characters", () => {
    const name = indexerSchemaName([chain]);
    expect(name).toMatch(/^pier_31337_1a1a1a1a_5fbdb231_[0-9a-f]{6}$/);
    expect(name.length).toBeLessThanOrEqual(45);
    expect(indexerSchemaName([chain])).toBe(name); // a restart on the same chain finds it again
  });

  it("behavior: a restarted local chain (new genesis) or a new deployment gets a new schema", () => {
    const name = indexerSchemaName([chain]);
    expect(indexerSchemaName([{ ...chain, genesisHash: `0x${"2b".repeat(32)}` }])).not.toBe(name);
    expect(
      indexerSchemaName([
        { ...chain, escrow: { ...chain.escrow, address: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" } },
      ]),
    ).not.toBe(name);
  });

  it("behavior: a new SpendPermissions beside the same escrow gets a new schema (Ponder's build id has it)", () => {
    const spendPermissions = {
      address: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0" as const,
      startBlock: 2,
    };
    const withIt = indexerSchemaName([{ ...chain, spendPermissions }]);
    expect(withIt).not.toBe(indexerSchemaName([chain]));
    expect(withIt).toMatch(/^pier_31337_1a1a1a1a_5fbdb231_[0-9a-f]{6}$/);
    expect(indexerSchemaName([{ ...chain, spendPermissions }])).toBe(withIt);
    expect(
      indexerSchemaName([
        {
          ...chain,
          spendPermissions: { ...spendPermissions, address: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9" },
        },
      ]),
    ).not.toBe(withIt);
  });

  it("behavior: several chains get one name regardless of order, still within 45 characters", () => {
    const other = { ...chain, chainId: 8453 };
    const name = indexerSchemaName([chain, other]);
    expect(name).toBe(indexerSchemaName([other, chain]));
    expect(name).toMatch(/^pier_multi_[0-9a-f]{12}_[0-9a-f]{6}$/);
  });

  it("behavior: the code hash changes with indexing code and schema, not with the API routes", () => {
    const copy = join(dir, "indexer-copy");
    const root = new URL("..", import.meta.url).pathname;
    for (const part of ["ponder.schema.ts", "src"])
      cpSync(join(root, part), join(copy, part), { recursive: true });
    const original = indexingCodeHash(copy);
    writeFileSync(join(copy, "src/api/index.ts"), "// changed route\n");
    expect(indexingCodeHash(copy)).toBe(original);
    writeFileSync(join(copy, "src/PaymentEscrow.ts"), "// changed handler\n");
    expect(indexingCodeHash(copy)).not.toBe(original);
  });
});

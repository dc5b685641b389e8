/**
 * scripts/deploy.ts: the escrow through the deterministic deployment proxy (same address on chains with
 * other ids, the address the dry run prints), an idempotent second deploy, the dry run of every preset
 * without an RPC, and the mainnet guard. Two real Hardhat nodes, started with different chain ids.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Address,
  createPublicClient,
  getContractAddress,
  http,
  isAddressEqual,
  type PublicClient,
} from "viem";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { spendPermissionsAbi } from "../../contracts/generated/abis.ts";
import { devAccount, devPrivateKey } from "../../contracts/lib/accounts.ts";
import type { Deployment } from "../../contracts/lib/deployments.ts";
import {
  DETERMINISTIC_DEPLOYER,
  ESCROW_SALT,
  escrowInitCode,
  spendPermissionsAddress,
} from "../../contracts/lib/deterministicDeployment.ts";
import { networks } from "../../contracts/lib/networks.ts";
import { deployLocal, main } from "../../scripts/deploy.ts";
import { type ChainHandle, startChain } from "../../scripts/lib/chain.ts";
import { freePort } from "../../scripts/lib/ports.ts";

const root = new URL("../..", import.meta.url).pathname;
const OTHER_CHAIN_ID = 4242;
const roleEnv = {
  PIER_OWNER: devAccount("deployer").address,
  PIER_ARBITER: devAccount("arbiter").address,
  PIER_FEE_RECIPIENT: devAccount("feeRecipient").address,
};

let dir: string;
let chainA: ChainHandle;
let chainB: ChainHandle;
let first: Deployment;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-deploy-"));
  [chainA, chainB] = await Promise.all([
    startChain({ port: await freePort(), logFile: join(dir, "chain-a.log") }),
    startChain({ port: await freePort(), logFile: join(dir, "chain-b.log"), chainId: OTHER_CHAIN_ID }),
  ]);
});

afterAll(async () => {
  await Promise.all([chainA?.stop(), chainB?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const client = (chain: ChainHandle): PublicClient =>
  createPublicClient({ transport: http(chain.rpcUrl) }) as PublicClient;

/** Runs scripts/deploy.ts as a developer would; resolves with its exit code and output. */
function runDeploy(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "scripts/deploy.ts", ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? "", ...env } },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
  });
}

const printedAddress = (stdout: string): Address => {
  const match = /^escrow address:\s+(0x[0-9a-fA-F]{40})$/m.exec(stdout);
  if (!match) throw new Error(`no escrow address in:\n${stdout}`);
  return match[1] as Address;
};

/** Transactions sent to the deterministic deployment proxy in blocks (from, head]. */
async function factoryCallsAfter(chain: ChainHandle, from: bigint): Promise<number> {
  const c = client(chain);
  const head = await c.getBlockNumber();
  let calls = 0;
  for (let n = from + 1n; n <= head; n++) {
    const block = await c.getBlock({ blockNumber: n, includeTransactions: true });
    calls += block.transactions.filter((t) => t.to && isAddressEqual(t.to, DETERMINISTIC_DEPLOYER)).length;
  }
  return calls;
}

test("default: the escrow gets the same address on chains with different ids, the one the dry run prints", async () => {
  const [a, b] = await Promise.all([
    deployLocal(chainA.rpcUrl, join(dir, "a.json")),
    deployLocal(chainB.rpcUrl, join(dir, "b.json")),
  ]);
  first = a;
  expect([a.chainId, b.chainId]).toEqual([31337, OTHER_CHAIN_ID]);
  const escrow = a.contracts.PaymentEscrow.address;
  expect(b.contracts.PaymentEscrow.address).toBe(escrow);
  // The factory's bytecode is the real one: it put the escrow where the CREATE2 formula says.
  expect(escrow).toBe(
    getContractAddress({
      opcode: "CREATE2",
      from: DETERMINISTIC_DEPLOYER,
      salt: ESCROW_SALT,
      bytecode: escrowInitCode({
        owner: roleEnv.PIER_OWNER,
        arbiter: roleEnv.PIER_ARBITER,
        feeRecipient: roleEnv.PIER_FEE_RECIPIENT,
        maxFeeBps: 1_000,
      }),
    }),
  );
  for (const chain of [chainA, chainB])
    expect(await client(chain).getCode({ address: escrow })).toMatch(/^0x.+/);
  // SpendPermissions beside it: one address from the escrow's, on both chains, pointing at that escrow.
  const spendPermissions = a.contracts.SpendPermissions?.address;
  expect(spendPermissions).toBe(spendPermissionsAddress(escrow));
  expect(b.contracts.SpendPermissions?.address).toBe(spendPermissions);
  for (const chain of [chainA, chainB])
    expect(
      await client(chain).readContract({
        address: spendPermissions!,
        abi: spendPermissionsAbi,
        functionName: "escrow",
      }),
    ).toBe(escrow);
  // The escrow is still the deployer's first transaction: the test tokens keep their old addresses.
  expect(a.contracts.TestStablecoin?.address).toBe("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512");
  // The stablecoin models only with `tokenModels` (contracts/test-ts/tokenModels.test.ts).
  for (const model of ["UsdcLike", "EurcLike", "UsdtLike", "DaiLike"] as const)
    expect(a.contracts[model], model).toBeUndefined();

  const dry = await runDeploy(["--network", "sepolia", "--dry-run", "--offline"], roleEnv);
  expect(dry.stderr).toBe("");
  expect(dry.code).toBe(0);
  expect(printedAddress(dry.stdout)).toBe(escrow);
});

test("behavior: a second deploy to the same chain reuses the escrow and sends no escrow deployment", async () => {
  expect(first).toBeDefined();
  const before = await client(chainA).getBlockNumber();
  const again = await deployLocal(chainA.rpcUrl, join(dir, "a.json"));
  expect(again.contracts.PaymentEscrow).toEqual(first.contracts.PaymentEscrow);
  expect(await factoryCallsAfter(chainA, before)).toBe(0);

  // Without the previous deployment file, the creation block and transaction are found on chain.
  const found = await deployLocal(chainA.rpcUrl, join(dir, "fresh.json"), { verifyInput: true });
  expect(found.contracts.PaymentEscrow).toEqual(first.contracts.PaymentEscrow);
  expect(again.contracts.SpendPermissions).toEqual(first.contracts.SpendPermissions);
  // Without the file, SpendPermissions' start block falls back to the escrow's (a safe lower bound).
  expect(found.contracts.SpendPermissions).toEqual({
    address: first.contracts.SpendPermissions?.address,
    blockNumber: first.contracts.PaymentEscrow.blockNumber,
  });
  expect(await factoryCallsAfter(chainA, before)).toBe(0);
  const written = JSON.parse(await readFile(join(dir, "fresh.json"), "utf8")) as Deployment;
  expect(written.contracts.PaymentEscrow.address).toBe(first.contracts.PaymentEscrow.address);
  // --verify-input: the standard-JSON input next to the deployment file.
  const input = JSON.parse(await readFile(join(dir, "31337.PaymentEscrow.standard-input.json"), "utf8"));
  expect(input.language).toBe("Solidity");
  expect(Object.keys(input.sources)).toContain("project/contracts/src/PaymentEscrow.sol");
});

test("behavior: --dry-run prints the deterministic address of every preset without an RPC", async () => {
  expect(first).toBeDefined();
  for (const [name, value] of Object.entries(roleEnv)) vi.stubEnv(name, value);
  vi.stubEnv("PIER_DEPLOYER_KEY", undefined);
  vi.stubEnv("PIER_RPC_URL", undefined);
  const fetchSpy = vi.spyOn(globalThis, "fetch");
  let out = "";
  const writeSpy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    for (const [key, preset] of Object.entries(networks)) {
      out = "";
      await main(["--network", key, "--dry-run", "--offline"]);
      expect(out, key).toContain(`chain id:          ${preset.chainId}`);
      expect(printedAddress(out), key).toBe(first.contracts.PaymentEscrow.address);
      expect(out, key).toContain("dry run: nothing sent");
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  } finally {
    writeSpy.mockRestore();
    fetchSpy.mockRestore();
    vi.unstubAllEnvs();
  }

  // Not --offline, the RPC down: the plan is printed all the same, "already deployed" unknown.
  const down = await runDeploy(["--network", "base", "--dry-run"], {
    ...roleEnv,
    PIER_RPC_URL: `http://127.0.0.1:${await freePort()}`,
  });
  expect(down.code).toBe(0);
  expect(printedAddress(down.stdout)).toBe(first.contracts.PaymentEscrow.address);
  expect(down.stdout).toMatch(/^already deployed:\s+unknown/m);
});

test("error: a mainnet preset without --mainnet is refused and nothing is sent", async () => {
  const c = client(chainA);
  const deployer = devAccount("deployer").address;
  const [block, nonce] = await Promise.all([
    c.getBlockNumber(),
    c.getTransactionCount({ address: deployer }),
  ]);
  const refused = await runDeploy(["--network", "ethereum"], {
    ...roleEnv,
    PIER_OPERATOR: devAccount("operator").address,
    PIER_DEPLOYER_KEY: devPrivateKey("deployer"),
    PIER_RPC_URL: chainA.rpcUrl,
  });
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(/Ethereum \(chain 1\) is a mainnet: add --mainnet/);
  expect(refused.stdout).not.toMatch(/escrow address/);
  expect(await c.getBlockNumber()).toBe(block);
  expect(await c.getTransactionCount({ address: deployer })).toBe(nonce);
});

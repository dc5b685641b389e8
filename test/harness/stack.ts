/**
 * A whole local stack for one test suite: Postgres, a Hardhat node, the escrow and test token deployed
 * (to a deployment file of the suite's own), and the indexer, each on a free port, each a real process.
 * One `stop()` ends them all, newest first. Start one per test file (in `beforeAll`) and share it;
 * stop it in `afterAll` through the start promise, so a stack whose start outlived a timed-out hook is
 * still stopped:
 *
 *   let starting: Promise<Stack>;
 *   beforeAll(async () => { starting = startStack(); stack = await starting; });
 *   afterAll(async () => { await (await starting?.catch(() => undefined))?.stop(); });
 *
 *   const paid = await stack.pay.payByAllowance(await stack.pay.newTerms());
 *   await waitFor(...)  // e.g. its row in `"${stack.indexer.schema}".payment` through stack.db
 *
 * `startStack({ secondChain: true })` adds a second Hardhat node with chain id 1337 (LOCAL_CHAIN_IDS) and a
 * deployment of its own; the indexer then indexes both, and `stack.chains` lists both (each with its
 * chain handle, deployment and pay helpers). `stack.chain`, `stack.deployment` and `stack.pay` are always
 * the first chain (31337). `stack.chains[1].chain.stop()` ends the second node (a network outage); it is
 * not restarted: a new Hardhat node would be a new chain (new genesis) under the same id.
 *
 * Postgres is a database of the suite's own on the test run's shared embedded server (sharedPostgres.ts),
 * or a server of its own (`ownPostgres`, or outside such a run), unless `databaseUrl` names one (any
 * Postgres); scripts/lib/postgres.ts also honours DATABASE_URL. Logs of the chain and the indexer go to
 * files in the stack's temporary folder (kept when PIER_KEEP_TEST_DIRS=1, removed otherwise). With
 * PIER_TEST_LOG_DIR set (./scripts/test sets it), each stack's *.log files are copied there on stop, in a
 * folder named after the test file, so a failure in CI can be explained from the processes' own logs.
 */
import { chmod, cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import pg from "pg";
import type { Deployment } from "../../contracts/lib/deployments.ts";
import { deployLocal } from "../../scripts/deploy.ts";
import { type ChainHandle, startChain } from "../../scripts/lib/chain.ts";
import { type IndexerHandle, type StartIndexerOptions, startIndexer } from "../../scripts/lib/indexer.ts";
import { log } from "../../scripts/lib/log.ts";
import { freePort } from "../../scripts/lib/ports.ts";
import { type PostgresHandle, startPostgres } from "../../scripts/lib/postgres.ts";
import { createPayments, type Payments } from "./payments.ts";
import { testDatabase } from "./testDatabase.ts";

export interface StackOptions {
  /** Use this Postgres instead of starting an embedded one. */
  databaseUrl?: string;
  /**
   * An embedded Postgres server of the stack's own (for tests that kill or restart it), rather than a
   * database of its own on the test run's shared server (testDatabase.ts).
   */
  ownPostgres?: boolean;
  /** Also deploy the USDC-, EURC-, USDT- and DAI-like models (deployLocal's `tokenModels`). */
  tokenModels?: boolean;
  /** Start the indexer (default true); or options passed through to startIndexer. */
  indexer?:
    | boolean
    | Partial<Omit<StartIndexerOptions, "databaseUrl" | "rpcUrl" | "deploymentFile" | "moreChains">>;
  /** Also start a second local chain (chain id SECOND_CHAIN_ID) with a deployment of its own. */
  secondChain?: boolean;
  /**
   * The second chain's id instead of SECOND_CHAIN_ID: one outside LOCAL_CHAIN_IDS stands for a mainnet
   * (the API serves it in live mode, with the dev keys passed explicitly).
   */
  secondChainId?: number;
}

/** The second local chain's id (scripts/dev uses it too): Hardhat's other dev id, in LOCAL_CHAIN_IDS. */
export const SECOND_CHAIN_ID = 1337;

/** One local chain of a stack: its node, its deployment and payment helpers bound to both. */
export interface StackChain {
  chain: ChainHandle;
  deployment: Deployment;
  deploymentFile: string;
  pay: Payments;
}

export interface Stack {
  dir: string;
  postgres: PostgresHandle;
  chain: ChainHandle;
  deployment: Deployment;
  deploymentFile: string;
  /** Every chain of the stack, the first being `chain` (two with `secondChain`). */
  chains: StackChain[];
  /** The running indexer; replaced by startIndexer()/restartIndexer(). Undefined when not started. */
  indexer?: IndexerHandle;
  /** Payment helpers bound to this chain and deployment. */
  pay: Payments;
  /** A pool on the stack's database (closed by stop()). */
  db: pg.Pool;
  /** Starts the indexer (again), on the same schema and port unless told otherwise: a restart resumes. */
  startIndexer(opts?: Partial<StartIndexerOptions>): Promise<IndexerHandle>;
  /**
   * kill -9 of the stack's own Postgres server (`ownPostgres`: its backends and WAL writer die with the
   * postmaster), then a start on the same data and port, which becomes `postgres` (stopped by stop()).
   */
  crashPostgres(): Promise<PostgresHandle>;
  /** Stops everything this stack started, newest first; safe to call twice. */
  stop(): Promise<void>;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), "pier-stack-"));
  // mkdtemp makes it 0700; run as root, embedded Postgres drops to its own user, which must get in.
  await chmod(dir, 0o755);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        log("stack", "stop failed", { error: String(error) });
      }
    }
  };
  try {
    const postgres: PostgresHandle = opts.databaseUrl
      ? { url: opts.databaseUrl, embedded: false, stop: async () => {} }
      : await testDatabase(join(dir, "postgres"), { ownServer: opts.ownPostgres });
    // The server running now: crashPostgres() replaces it.
    let currentPostgres = postgres;
    stops.push(() => currentPostgres.stop());
    // The first chain keeps the file names it always had; a second one gets names with its chain id.
    const chainSpecs = [
      { chainId: undefined, log: "chain.log", file: "deployment.json" },
      ...(opts.secondChain
        ? [
            {
              chainId: opts.secondChainId ?? SECOND_CHAIN_ID,
              log: `chain-${opts.secondChainId ?? SECOND_CHAIN_ID}.log`,
              file: `deployment-${opts.secondChainId ?? SECOND_CHAIN_ID}.json`,
            },
          ]
        : []),
    ];
    // Side by side: a Hardhat start is mostly waiting on its own CPU-bound boot.
    const chains = await Promise.all(
      chainSpecs.map(async (spec): Promise<StackChain> => {
        const chain = await startChain({
          port: await freePort(),
          logFile: join(dir, spec.log),
          chainId: spec.chainId,
        });
        // Should this process exit without stop() (a timed-out test hook, a crash), take the node along:
        // Postgres and the indexer have exit hooks of their own.
        const killChain = () => chain.process.kill("SIGKILL");
        process.once("exit", killChain);
        stops.push(async () => {
          process.removeListener("exit", killChain);
          await chain.stop();
        });
        const deploymentFile = join(dir, spec.file);
        const deployment = await deployLocal(chain.rpcUrl, deploymentFile, { tokenModels: opts.tokenModels });
        return { chain, deployment, deploymentFile, pay: createPayments(chain.rpcUrl, deployment) };
      }),
    );
    const { chain, deployment, deploymentFile, pay } = chains[0]!;
    const db = new pg.Pool({ connectionString: postgres.url, max: 4 });
    stops.push(() => db.end());

    const indexerDefaults: Partial<StartIndexerOptions> =
      typeof opts.indexer === "object" ? opts.indexer : {};
    const stack: Stack = {
      dir,
      postgres,
      chain,
      deployment,
      deploymentFile,
      chains,
      pay,
      db,
      async startIndexer(more = {}) {
        await stack.indexer?.stop();
        const previous = stack.indexer;
        const indexer = await startIndexer({
          databaseUrl: postgres.url,
          rpcUrl: chain.rpcUrl,
          deploymentFile,
          moreChains: chains
            .slice(1)
            .map((c) => ({ rpcUrl: c.chain.rpcUrl, deploymentFile: c.deploymentFile })),
          port: previous ? Number(new URL(previous.url).port) : await freePort(),
          schema: previous?.schema,
          logFile: join(dir, "indexer.log"),
          ...indexerDefaults,
          ...more,
        });
        stack.indexer = indexer;
        return indexer;
      },
      async crashPostgres() {
        const old = currentPostgres;
        if (old.pid === undefined)
          throw new Error("crashPostgres() needs a Postgres server of the stack's own");
        process.kill(old.pid, "SIGKILL");
        await old.stop();
        const port = Number(new URL(old.url).port);
        currentPostgres = await startPostgres({ dataDir: join(dir, "postgres"), port });
        stack.postgres = currentPostgres;
        return currentPostgres;
      },
      async stop() {
        await stack.indexer?.stop();
        await stopAll();
        await keepLogs(dir);
        if (process.env.PIER_KEEP_TEST_DIRS === "1") log("stack", "kept test folder", { dir });
        else await rm(dir, { recursive: true, force: true });
      },
    };
    if (opts.indexer !== false) await stack.startIndexer();
    log("stack", "ready", {
      dir,
      rpcUrl: chain.rpcUrl,
      ...(chains.length > 1 && { rpcUrls: chains.map((c) => c.chain.rpcUrl) }),
      indexer: stack.indexer?.url,
      schema: stack.indexer?.schema,
    });
    return stack;
  } catch (error) {
    await stopAll();
    log("stack", "failed to start; logs kept", { dir });
    throw error;
  }
}

/** Copies the stack's logs to PIER_TEST_LOG_DIR/<test file>.<stack folder>/ (./scripts/test prints them). */
async function keepLogs(dir: string): Promise<void> {
  const into = process.env.PIER_TEST_LOG_DIR;
  if (!into) return;
  // Imported here: benchmarks and scripts start stacks outside Vitest too (and never set the variable).
  const { expect } = await import("vitest");
  const testFile = basename(expect.getState().testPath ?? "unknown");
  await cp(dir, join(into, `${testFile}.${basename(dir)}`), {
    recursive: true,
    filter: (source) => source === dir || source.endsWith(".log"),
  }).catch((error) => log("stack", "could not keep logs", { dir, error: String(error) }));
}

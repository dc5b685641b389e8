/**
 * Indexer backfill: 50,000 payments are made before the indexer starts, then the time until all of them
 * are indexed, with the indexer's progress logged every 2 s (blocks, events, events/s, ETA). Writes
 * bench-results/backfill.json {events, seconds, events_per_s, ...}; exits non-zero if the run fails or
 * not every payment is indexed. Making the chain takes about 2 minutes the first time (signing, then
 * mining hundreds of payments a block); later runs send the transactions the first one signed and saved
 * (.cache/bench/, lib/signedPayments.ts), which leaves the mining. `--no-cache` signs anew and saves nothing.
 *
 *   pnpm exec tsx scripts/benchmarks/backfill.ts [--payments 50000] [--runs 3] [--no-cache]
 *
 * The payments are made fast by turning automine off: transactions are signed locally with explicit
 * nonces and gas, sent in JSON-RPC batches from several payers, and mined hundreds to a block. Then 40
 * empty blocks make them final (Ponder treats chain 31337 as 30-block finality), so the indexer reads
 * them through its backfill path (eth_getLogs over block ranges), not block by block.
 *
 * `seconds` runs from spawning `ponder start` to every row visible over SQL, Ponder's own start-up
 * (about 2-3 s of building) included; `indexing_seconds` is Ponder's own "Completed backfill" duration.
 * For where that time went: `fetch_seconds` (Ponder fetching the blocks and logs over RPC and writing them
 * to ponder_sync, which the indexing of fetched ranges overlaps) and `indexing_busy_seconds` (the sum of
 * its indexed batches: handlers plus the flush of their rows), over `indexing_batches` batches. For what
 * limits it: `cpu_seconds` (CPU time the indexer, Postgres and the Hardhat node each used over the run,
 * from /proc), `cores_busy_percent` (how busy the machine's cores were over the same window; the three
 * share them, so the indexer's pace here is also theirs) and `cores_stolen_percent` (the share of them a
 * virtual machine's host kept for others). `indexer_peak_rss_mib` is the indexer's peak resident memory.
 *
 * A new indexer backfills the same chain `--runs` times (3 by default), each from nothing: before each
 * later run the previous schema is dropped and Ponder's sync tables emptied, so every run fetches, writes
 * and indexes everything again. The figures are the median run's (by backfill duration); `runs` lists
 * each. One run on this 2-core machine varies by about 20 % with whatever else the cores are doing
 * (Postgres's autovacuum waking mid-run, for one), too much for one sample to say where the figure is.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeFunctionData, type Hex, keccak256 } from "viem";
import { indexerProgress } from "../../api/src/indexer/indexerProgress.ts";
import { indexerTables } from "../../api/src/indexer/indexerTables.ts";
import { paymentEscrowAbi } from "../../contracts/generated/abis.ts";
import type { DevRole } from "../../contracts/lib/accounts.ts";
import { onchainOrderId } from "../../contracts/lib/terms.ts";
import { account, blockNumber, evmMine, evmSetAutomine } from "../../test/harness/payments.ts";
import { startStack } from "../../test/harness/stack.ts";
import { log } from "../lib/log.ts";
import { freePort, waitFor } from "../lib/ports.ts";
import { cpuTicks, cpuTicksOfAll, HZ, machineTicks, memoryOf } from "./lib/procStats.ts";
import { readSignedPayments, signedPaymentsFile, writeSignedPayments } from "./lib/signedPayments.ts";

const args = process.argv.slice(2);
const paymentsArg = args.indexOf("--payments");
const total = paymentsArg >= 0 ? Number(args[paymentsArg + 1]) : 50_000;
if (!Number.isInteger(total) || total < 1) throw new Error("--payments needs a positive integer");
const useCache = !args.includes("--no-cache");
const runsArg = args.indexOf("--runs");
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 3;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error("--runs needs a positive integer");

/** Payers (all funded with 1,000,000 tUSDC by deployLocal); each pays total / PAYERS.length orders. */
const PAYERS: DevRole[] = ["customer", "customer2", "treasury", "bridge"];
const AMOUNT = 1_000_000n; // 1 tUSDC
const NEVER = 2n ** 64n - 1n;
const GAS = 250_000n;
const RPC_BATCH = 250;
const FINALITY_BLOCKS = 40;
/** Ponder 0.17's sync tables (its ponder_sync schema), emptied between runs. */
const PONDER_SYNC_TABLES = [
  "blocks",
  "transactions",
  "transaction_receipts",
  "logs",
  "traces",
  "rpc_request_results",
  "intervals",
  "factories",
  "factory_addresses",
];

async function rpcBatch(url: string, calls: { method: string; params: unknown[] }[]): Promise<unknown[]> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(calls.map((c, id) => ({ jsonrpc: "2.0", id, ...c }))),
  });
  const body = (await res.json()) as { id: number; result?: unknown; error?: { message: string } }[];
  const failed = body.find((r) => r.error);
  if (failed) throw new Error(`${calls[failed.id]?.method}: ${failed.error?.message}`);
  return body.sort((a, b) => a.id - b.id).map((r) => r.result);
}

const stack = await startStack({ indexer: false });
let status = 0;
/** The saved payments this run replays, until they are all on chain: deleted if they fail to. */
let replaying: string | undefined;
try {
  const { pay, chain } = stack;
  for (const payer of PAYERS) await pay.approveUnlimited(payer);
  const fees = await pay.publicClient.estimateFeesPerGas();

  // Sign every payment up front: the operator's terms signature and the payer's transaction. Or read them
  // from an earlier run (lib/signedPayments.ts), under a key of everything their validity depends on.
  const signStart = performance.now();
  const nonces = new Map<DevRole, number>();
  for (const payer of PAYERS) {
    nonces.set(payer, await pay.publicClient.getTransactionCount({ address: account(payer).address }));
  }
  const startNonces = Object.fromEntries(nonces);
  // One template, a fresh order id per payment. Its deadline never passes, so saved transactions stay
  // payable on a chain started on any later day (a deadline from chain time would expire them).
  const template = await pay.newTerms({ amount: AMOUNT, fee: 10_000n, deadline: NEVER });
  const cacheFile = signedPaymentsFile(total, {
    chainId: stack.deployment.chainId,
    escrow: pay.escrow,
    code: [
      keccak256((await pay.publicClient.getCode({ address: pay.escrow })) ?? "0x"),
      keccak256((await pay.publicClient.getCode({ address: template.token })) ?? "0x"),
    ],
    startNonces,
    fees,
    template: { ...template, orderId: undefined },
    gas: GAS,
  });
  const cached = useCache ? await readSignedPayments(cacheFile, total) : undefined;
  if (cached) replaying = cacheFile;
  const raw: Hex[] = cached ?? [];
  const run = randomBytes(6).toString("hex");
  for (let i = 0; i < total && !cached; i++) {
    // Signing is synchronous CPU work: let the event loop run now and then, or idle keep-alive sockets
    // that the node closed meanwhile are reused afterwards and fail ("other side closed").
    if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    const payer = PAYERS[i % PAYERS.length]!;
    const terms = { ...template, orderId: onchainOrderId(`ord_bench_${run}_${i}`) };
    const data = encodeFunctionData({
      abi: paymentEscrowAbi,
      functionName: "pay",
      args: [terms, await pay.signTerms(terms)],
    });
    const nonce = nonces.get(payer)!;
    nonces.set(payer, nonce + 1);
    raw.push(
      await account(payer).signTransaction({
        chainId: stack.deployment.chainId,
        type: "eip1559",
        to: pay.escrow,
        data,
        nonce,
        gas: GAS,
        maxFeePerGas: fees.maxFeePerGas * 2n,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      }),
    );
  }
  if (cached) {
    // Saved transactions carry the nonces signing gives: payment i is PAYERS[i % 4]'s next one.
    for (let i = 0; i < total; i++) {
      const payer = PAYERS[i % PAYERS.length]!;
      nonces.set(payer, nonces.get(payer)! + 1);
    }
  } else if (useCache) await writeSignedPayments(cacheFile, total, raw);
  const signSeconds = (performance.now() - signStart) / 1000;

  // Send them all into the mempool, then mine until every payer's nonce has caught up.
  const mineStart = performance.now();
  // The node logs every transaction it mines, in JavaScript: a quarter of the time it took to mine these.
  await rpcBatch(chain.rpcUrl, [{ method: "hardhat_setLoggingEnabled", params: [false] }]);
  await evmSetAutomine(chain.rpcUrl, false);
  for (let i = 0; i < raw.length; i += RPC_BATCH) {
    await rpcBatch(
      chain.rpcUrl,
      raw.slice(i, i + RPC_BATCH).map((tx) => ({ method: "eth_sendRawTransaction", params: [tx] })),
    );
  }
  const firstBlock = (await blockNumber(chain.rpcUrl)) + 1n;
  const mined = async () => {
    for (const payer of PAYERS) {
      const done = await pay.publicClient.getTransactionCount({ address: account(payer).address });
      if (done < nonces.get(payer)!) return false;
    }
    return true;
  };
  for (let blocks = 0; !(await mined()); blocks++) {
    // Hundreds of payments fit in a block: far more blocks than that means some will never be mined.
    if (blocks > total / 100 + 50) throw new Error(`payments still unmined after ${blocks} blocks`);
    await evmMine(chain.rpcUrl);
  }
  const lastBlock = await blockNumber(chain.rpcUrl);
  await evmSetAutomine(chain.rpcUrl, true);
  await rpcBatch(chain.rpcUrl, [{ method: "hardhat_setLoggingEnabled", params: [true] }]);
  await evmMine(chain.rpcUrl, FINALITY_BLOCKS);
  // Counted a few blocks at a time: 50,000 events in one answer is past viem's 10 MB response limit.
  let escrowed = 0;
  for (let from = firstBlock; from <= lastBlock; from += 10n) {
    const to = from + 9n < lastBlock ? from + 9n : lastBlock;
    escrowed += (
      await pay.publicClient.getContractEvents({
        address: pay.escrow,
        abi: paymentEscrowAbi,
        eventName: "PaymentEscrowed",
        fromBlock: from,
        toBlock: to,
      })
    ).length;
  }
  if (escrowed !== total) throw new Error(`expected ${total} PaymentEscrowed events, chain has ${escrowed}`);
  replaying = undefined;
  const mineSeconds = (performance.now() - mineStart) / 1000;
  log("bench", "payments on chain", {
    payments: total,
    blocks: Number(lastBlock - firstBlock + 1n),
    signed: cached ? `read from ${cacheFile}` : "now",
    sign_s: signSeconds.toFixed(1),
    send_and_mine_s: mineSeconds.toFixed(1),
  });

  const runs: BackfillRun[] = [];
  for (let run = 1; run <= RUNS; run++) {
    if (stack.indexer) await resetForNextRun(stack.indexer.schema);
    runs.push(await backfillOnce(run, lastBlock));
    log("bench", "backfill run", { run, ...runs.at(-1) });
  }
  const median = [...runs].sort((a, b) => backfillSeconds(a) - backfillSeconds(b))[
    Math.floor(runs.length / 2)
  ]!;
  const out = {
    events: total,
    ...median,
    blocks: Number(lastBlock - firstBlock + 1n) + FINALITY_BLOCKS,
    measured: `spawn \`ponder start\` -> all payment rows visible over SQL (start-up included); the median of ${RUNS} runs`,
    runs,
  };
  await mkdir("bench-results", { recursive: true });
  await writeFile("bench-results/backfill.json", `${JSON.stringify(out, null, 2)}\n`);
  log("bench", "backfill measured", { ...out, runs: runs.map((r) => r.indexing_events_per_s) });
} catch (error) {
  log("bench", "backfill benchmark failed", {
    error: String(error),
    cause: String((error as Error).cause ?? ""),
  });
  status = 1;
  if (replaying) {
    // Something their key does not cover changed (a new Hardhat, say): the next run signs anew.
    await rm(replaying, { force: true });
    log("bench", "the saved payments did not all reach the chain; deleted them", { file: replaying });
  }
} finally {
  await stack.stop();
}
process.exit(status);

interface BackfillRun {
  seconds: number;
  events_per_s: number;
  indexing_seconds?: number;
  indexing_events_per_s?: number;
  fetch_seconds?: number;
  indexing_busy_seconds: number;
  indexing_batches: number;
  /** CPU time each process used over the run (spawn -> all rows): the indexer, Postgres, the Hardhat node. */
  cpu_seconds: { indexer: number; postgres: number; chain: number };
  /** How busy the machine's cores were over the same window, and how much the host stole from them. */
  cores_busy_percent: number;
  cores_stolen_percent: number;
  /** The indexer's resident memory at its peak (VmHWM), start-up included. */
  indexer_peak_rss_mib: number;
}

function backfillSeconds(r: BackfillRun): number {
  return r.indexing_seconds ?? r.seconds;
}

/** Starts a new indexer (its own schema and log) and times it until every payment is a row. */
async function backfillOnce(run: number, lastBlock: bigint): Promise<BackfillRun> {
  const port = await freePort();
  const logFile = join(stack.dir, `indexer-run${run}.log`);
  const start = performance.now();
  let indexing = true;
  const progress = showProgress(`http://127.0.0.1:${port}`, () => indexing, start);
  const chainPid = stack.chain.process.pid!;
  const before = {
    postgres: await cpuTicksOfAll("postgres"),
    chain: await cpuTicks(chainPid),
    machine: await machineTicks(),
  };
  await stack.startIndexer({ port, logFile, ...(run > 1 && { schema: `backfill_run${run}` }) });
  const schema = stack.indexer!.schema;
  // Polled every 20 ms, so the poll must cost next to nothing: counting the payment table each time (a
  // scan of up to 50,000 wide rows) made Postgres compete with the indexer it measures for the 2 cores.
  // Ponder commits each batch's rows with its checkpoint row, in one transaction: the rows are counted
  // once that checkpoint has passed the last payment block.
  await waitFor(
    `${total} payments indexed`,
    async () => {
      const progress = await indexerProgress(stack.db, indexerTables(schema), stack.deployment.chainId);
      if (progress === undefined || progress.blockNumber < lastBlock) return false;
      const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM "${schema}".payment`);
      return rows[0].n >= total;
    },
    { timeoutMs: 600_000, intervalMs: 20 },
  );
  const seconds = (performance.now() - start) / 1000;
  // Read before anything stops: the indexer's own time ends with its process.
  const machine = await machineTicks();
  const cpu = (ticks: number) => Math.round((ticks * 100) / HZ) / 100;
  const cpuSeconds = {
    indexer: cpu(await cpuTicks(stack.indexer!.pid)),
    postgres: cpu((await cpuTicksOfAll("postgres")) - before.postgres),
    chain: cpu((await cpuTicks(chainPid)) - before.chain),
  };
  const window = machine.total - before.machine.total;
  const indexerPeakRss = (await memoryOf(stack.indexer!.pid)).peak;
  indexing = false;
  await progress;
  const phases = backfillPhases(logFile);
  return {
    seconds: Math.round(seconds * 100) / 100,
    events_per_s: Math.round(total / seconds),
    indexing_seconds: phases.indexingSeconds,
    indexing_events_per_s: phases.indexingSeconds ? Math.round(total / phases.indexingSeconds) : undefined,
    // Where the backfill's time went, from Ponder's log: the RPC fetch (and its writes to ponder_sync)
    // overlaps the indexing of what is already fetched; indexing busy is the sum of its batches.
    fetch_seconds: phases.fetchSeconds,
    indexing_busy_seconds: phases.busySeconds,
    indexing_batches: phases.batches,
    // The cores are shared by all three (and this script's polling): the backfill's speed here is as much
    // theirs as the indexer's.
    cpu_seconds: cpuSeconds,
    cores_busy_percent: Math.round((1000 * (machine.busy - before.machine.busy)) / window) / 10,
    cores_stolen_percent: Math.round((1000 * (machine.steal - before.machine.steal)) / window) / 10,
    indexer_peak_rss_mib: indexerPeakRss,
  };
}

/**
 * Back to where the first run started: the indexer stopped, its schema gone and Ponder's sync tables
 * empty (the local chain's sync data is never reused as a cache, but rows already there would turn the
 * next run's writes into conflicts that cost less).
 */
async function resetForNextRun(schema: string): Promise<void> {
  await stack.indexer!.stop();
  await stack.db.query(`DROP SCHEMA "${schema}" CASCADE`);
  await stack.db.query(
    `TRUNCATE ${PONDER_SYNC_TABLES.map((t) => `ponder_sync.${t}`).join(", ")} RESTART IDENTITY`,
  );
}

/**
 * Every 2 s while `running()`: blocks backfilled of the total, events indexed, events per second since
 * spawn and the time left at the pace so far, from Ponder's own metrics (its HTTP server is up before
 * the backfill starts; until then, nothing is shown).
 */
async function showProgress(url: string, running: () => boolean, start: number): Promise<void> {
  const metric = (text: string, name: string) =>
    [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, "gm"))].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  while (running()) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const text = await fetch(`${url}/metrics`)
      .then((r) => r.text())
      .catch(() => "");
    if (!text || !running()) continue;
    const done = metric(text, "ponder_historical_completed_blocks");
    const blocks = metric(text, "ponder_historical_total_blocks");
    const events = metric(text, "ponder_indexing_completed_events");
    const seconds = (performance.now() - start) / 1000;
    log("bench", "backfill progress", {
      blocks: `${done}/${blocks}`,
      events,
      events_per_s: Math.round(events / seconds),
      eta_s: done > 0 ? Math.round((seconds * (blocks - done)) / done) : undefined,
    });
  }
}

/**
 * Ponder logs how long its backfill took once it completes ("Completed backfill indexing"), how long
 * fetching the chain data took ("Finished fetching backfill JSON-RPC data") and each indexed batch.
 */
function backfillPhases(logFile: string): {
  indexingSeconds?: number;
  fetchSeconds?: number;
  busySeconds: number;
  batches: number;
} {
  const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms / 10) / 100);
  let indexing: number | undefined;
  let fetch: number | undefined;
  let busy = 0;
  let batches = 0;
  for (const line of readFileSync(logFile, "utf8").split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { msg?: string; duration?: number };
    if (entry.msg?.startsWith("Completed backfill indexing")) indexing = entry.duration;
    else if (entry.msg === "Finished fetching backfill JSON-RPC data") fetch = entry.duration;
    else if (entry.msg === "Indexed block range" && entry.duration !== undefined) {
      busy += entry.duration;
      batches++;
    }
  }
  return {
    indexingSeconds: seconds(indexing),
    fetchSeconds: seconds(fetch),
    busySeconds: seconds(busy) ?? 0,
    batches,
  };
}

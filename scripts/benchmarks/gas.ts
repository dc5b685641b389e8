/**
 * Gas benchmark: deploys to a fresh local chain in a warm state (payer, merchant, fee recipient and the
 * escrow already hold token balances), runs each escrow operation once and writes
 * bench-results/gas.json: {"operations": {"<name>": {"gasUsed", "executionGas"}}} where executionGas is
 * the receipt's gasUsed minus the 21,000 base and the transaction's calldata cost (EIP-2028: 4 gas per
 * zero byte, 16 per non-zero byte). Prints a table with each target.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Hex, hexToBytes } from "viem";
import { createPayments, evmIncreaseTime, type Sent } from "../../test/harness/payments.ts";
import { deployLocal } from "../deploy.ts";
import { startChain } from "../lib/chain.ts";
import { freePort } from "../lib/ports.ts";

/** Targets for executionGas from the escrow issue; operations without one are reported only. */
const TARGETS: Record<string, number> = {
  payWithAuthorization: 105_000,
  payWithPermit: 120_000,
  release: 50_000,
  refundFull: 40_000,
  releaseBatch10PerPayment: 25_000,
};

function calldataCost(input: Hex): number {
  let cost = 0;
  for (const byte of hexToBytes(input)) cost += byte === 0 ? 4 : 16;
  return cost;
}

const dir = await mkdtemp(join(tmpdir(), "pier-gas-"));
const chain = await startChain({ port: await freePort(), logFile: join(dir, "chain.log") });
try {
  const deployment = await deployLocal(chain.rpcUrl, join(dir, "deployment.json"));
  const pay = createPayments(chain.rpcUrl, deployment);
  const operations: Record<string, { gasUsed: number; executionGas: number }> = {};

  async function measure(name: string, sent: Sent, perPayment = 1) {
    const tx = await pay.publicClient.getTransaction({ hash: sent.hash });
    const gasUsed = Number(sent.receipt.gasUsed);
    const executionGas = gasUsed - 21_000 - calldataCost(tx.input);
    operations[name] = {
      gasUsed: Math.round(gasUsed / perPayment),
      executionGas: Math.round(executionGas / perPayment),
    };
  }
  const escrowPeriod = 3600n;
  const matureAll = () => evmIncreaseTime(chain.rpcUrl, escrowPeriod + 1n);

  // Warm state: the escrow already holds a balance (the merchant, fee recipient and payers were funded at deploy).
  await pay.payByAllowance(await pay.newTerms({ escrowPeriod }));

  await measure("pay", await pay.payByAllowance(await pay.newTerms({ escrowPeriod })));
  await measure("payWithPermit", await pay.payByPermit(await pay.newTerms({ escrowPeriod })));
  await measure("payWithAuthorization", await pay.payByAuthorization(await pay.newTerms({ escrowPeriod })));

  const toRelease = await pay.payByAllowance(await pay.newTerms({ escrowPeriod }));
  const batch = [];
  await pay.approveUnlimited("customer");
  for (let i = 0; i < 10; i++) batch.push(await pay.payApproved(await pay.newTerms({ escrowPeriod })));
  const toRefundFull = await pay.payByAllowance(await pay.newTerms({ escrowPeriod }));
  const toRefundPartial = await pay.payByAllowance(await pay.newTerms({ escrowPeriod }));
  const toDispute = await pay.payByAllowance(await pay.newTerms({ escrowPeriod }));

  await measure("refundFull", await pay.refund(toRefundFull.record, toRefundFull.terms.amount));
  await measure("refundPartial", await pay.refund(toRefundPartial.record, toRefundPartial.terms.amount / 2n));
  await measure("dispute", await pay.dispute(toDispute.record));
  await measure("resolve", await pay.resolve(toDispute.record, toDispute.terms.amount / 2n));

  await matureAll();
  // Released by the keeper (anyone may, after the escrow period), with a fee.
  await measure("release", await pay.release(toRelease.record, "keeper"));
  await measure("releaseBatch10PerPayment", await pay.releaseBatch(batch.map((p) => p.record)), batch.length);

  const root = new URL("../..", import.meta.url).pathname;
  await mkdir(join(root, "bench-results"), { recursive: true });
  await writeFile(
    join(root, "bench-results/gas.json"),
    `${JSON.stringify({ operations, targets: TARGETS }, null, 2)}\n`,
  );

  const rows = Object.entries(operations).map(([name, { gasUsed, executionGas }]) => {
    const target = TARGETS[name];
    const verdict =
      target === undefined ? "" : executionGas <= target ? `<= ${target} ok` : `> ${target} OVER`;
    return `${name.padEnd(26)} ${String(gasUsed).padStart(9)} ${String(executionGas).padStart(13)}  ${verdict}`;
  });
  console.log(`${"operation".padEnd(26)} ${"gasUsed".padStart(9)} ${"executionGas".padStart(13)}  target`);
  console.log(rows.join("\n"));
  console.log("wrote bench-results/gas.json");
  const over = Object.entries(TARGETS).filter(
    ([name, target]) => (operations[name]?.executionGas ?? Infinity) > target,
  );
  if (over.length) process.exitCode = 1;
} finally {
  await chain.stop();
  await rm(dir, { recursive: true, force: true });
}

/**
 * Prints line, function and (when the lcov file has them) branch coverage for each source file whose
 * path ends with one of the given names. Hardhat's lcov has no branch records, which is why branch
 * coverage comes from tests that hit every revert and every `if` on purpose.
 *   tsx scripts/lib/coverage-summary.ts coverage/lcov.info PaymentEscrow.sol
 */
import { readFileSync } from "node:fs";

const [file, ...names] = process.argv.slice(2);
if (!file) throw new Error("usage: coverage-summary.ts <lcov.info> [file names...]");

const pct = (hit: number, found: number) => (found === 0 ? "n/a" : `${((100 * hit) / found).toFixed(1)}%`);

for (const record of readFileSync(file, "utf8").split("end_of_record")) {
  const source = /^SF:(.*)$/m.exec(record)?.[1];
  if (!source || (names.length && !names.some((n) => source.endsWith(n)))) continue;
  const num = (key: string) => Number(new RegExp(`^${key}:(\\d+)$`, "m").exec(record)?.[1] ?? 0);
  const missed = [...record.matchAll(/^DA:(\d+),0$/gm)].map((m) => m[1]);
  console.log(
    `coverage ${source}: lines ${pct(num("LH"), num("LF"))} (${num("LH")}/${num("LF")}), ` +
      `functions ${pct(num("FNH"), num("FNF"))}, branches ${num("BRF") ? pct(num("BRH"), num("BRF")) : "not reported by lcov"}` +
      (missed.length ? `; uncovered lines ${missed.join(",")}` : ""),
  );
}

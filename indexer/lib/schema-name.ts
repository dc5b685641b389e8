/**
 * The Postgres schema the indexer writes to, derived from what it indexes and how:
 *
 *   pier_<chainId>_<genesis hash, 8 hex>_<escrow address, 8 hex>_<indexing code, 6 hex>
 *
 * - A restarted Hardhat node is a new chain under the same id (new genesis hash): it gets a fresh schema
 *   instead of tripping over rows of a chain that no longer exists.
 * - A restart on the same chain with the same code finds its schema again and resumes where it stopped.
 * - Changed indexing code (schema or handlers) gets a fresh schema too: `ponder start` refuses a schema
 *   written by a different build, and re-indexing from the deployment block is what a new build needs.
 *
 * Several chains in one app: `pier_multi_<12 hex of all identities>_<code>`.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { ChainTarget } from "./config.ts";

const INDEXER_ROOT = new URL("..", import.meta.url).pathname;
/** Ponder's limit on schema names. */
const MAX_SCHEMA_LENGTH = 45;

export function indexerSchemaName(
  chains: Pick<ChainTarget, "chainId" | "genesisHash" | "escrow" | "spendPermissions">[],
): string {
  if (chains.length === 0) throw new Error("indexerSchemaName needs at least one chain");
  // SpendPermissions' address is in Ponder's build id too (it moves when its code changes, the escrow's
  // need not): fold it into the code part so a new one gets a new schema instead of a refused start.
  const spend = chains
    .flatMap((c) => (c.spendPermissions ? [`${c.chainId}:${c.spendPermissions.address}`.toLowerCase()] : []))
    .sort()
    .join(",");
  const code = (
    spend ? createHash("sha256").update(`${indexingCodeHash()}:${spend}`).digest("hex") : indexingCodeHash()
  ).slice(0, 6);
  let name: string;
  if (chains.length === 1) {
    const [c] = chains as [ChainTarget];
    name = `pier_${c.chainId}_${hex8(c.genesisHash)}_${hex8(c.escrow.address)}_${code}`;
  } else {
    const identities = chains
      .map((c) => `${c.chainId}:${c.genesisHash}:${c.escrow.address}`.toLowerCase())
      .sort()
      .join(",");
    name = `pier_multi_${createHash("sha256").update(identities).digest("hex").slice(0, 12)}_${code}`;
  }
  if (name.length > MAX_SCHEMA_LENGTH)
    throw new Error(`schema name ${name} is longer than ${MAX_SCHEMA_LENGTH}`);
  return name;
}

function hex8(value: string): string {
  return value.slice(2, 10).toLowerCase();
}

/**
 * Hash of what Ponder puts in its build id besides the contract config: ponder.schema.ts and every
 * indexing file under src/ (not src/api/, which Ponder leaves out as well).
 */
export function indexingCodeHash(root = INDEXER_ROOT): string {
  const files = [
    join(root, "ponder.schema.ts"),
    ...listTs(join(root, "src"), join(root, "src", "api")),
  ].sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(relative(root, file));
    hash.update("\0");
    hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}

function listTs(dir: string, skip: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== skip) out.push(...listTs(path, skip));
    } else if (/\.(ts|mts|js|mjs)$/.test(entry.name) && !/\.(test|spec)\./.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

/**
 * The backfill bench's signed payment transactions, kept between runs in .cache/bench/ (gitignored).
 * Signing 50,000 payments is about 40 s of CPU (two secp256k1 signatures each, in JavaScript), and the
 * chain they go onto is the same at every run: the same deployment at the same addresses, the same dev
 * accounts at the same nonces, the same fees. So the first run signs and saves them; a later run sends the
 * saved transactions into a fresh node, which mines them into the same chain of payments.
 *
 * Why transactions and not a dump of the node's state: Hardhat's node (EDR) has no RPC to dump or load its
 * state, and a backfill reads blocks and logs, which a state dump would not carry anyway. The node still
 * executes every payment again when they are sent (most of the time making the chain takes).
 *
 * The file is named by a hash of everything the transactions' validity depends on (`key`): a change to
 * the contracts' code, the deployment, the accounts' nonces, the fees or the payment terms picks a new
 * file, and the old one is deleted when the new one is written.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { type Hex, stringify } from "viem";

const CACHE_DIR = new URL("../../../.cache/bench/", import.meta.url).pathname;

/** The cache file for `payments` signed under `key` (any JSON-able value; bigints welcome). */
export function signedPaymentsFile(payments: number, key: unknown): string {
  const hash = createHash("sha256").update(stringify(key)).digest("hex").slice(0, 16);
  return join(CACHE_DIR, `backfill-${payments}-${hash}.bin.gz`);
}

/** The saved transactions, or undefined when there is no file (or it holds another count). */
export async function readSignedPayments(file: string, payments: number): Promise<Hex[] | undefined> {
  let bytes: Buffer;
  try {
    bytes = gunzipSync(await readFile(file));
  } catch {
    return undefined;
  }
  // Each transaction: its length (4 bytes, big-endian), then its bytes.
  const raw: Hex[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    raw.push(`0x${bytes.subarray(at + 4, at + 4 + length).toString("hex")}`);
    at += 4 + length;
  }
  return raw.length === payments ? raw : undefined;
}

/** Saves the transactions, replacing any file saved for the same count under another key. */
export async function writeSignedPayments(file: string, payments: number, raw: Hex[]): Promise<void> {
  await mkdir(CACHE_DIR, { recursive: true });
  const prefix = `backfill-${payments}-`;
  for (const name of await readdir(CACHE_DIR))
    if (name.startsWith(prefix)) await rm(join(CACHE_DIR, name), { force: true });
  const parts = raw.flatMap((tx) => {
    const body = Buffer.from(tx.slice(2), "hex");
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    return [length, body];
  });
  // Written whole, then renamed into place: an interrupted run leaves no half file to read later.
  const partial = `${file}.partial`;
  await writeFile(partial, gzipSync(Buffer.concat(parts)));
  await rename(partial, file);
}

/**
 * Random, prefixed object ids (`ord_...`, `we_...`) and API key secrets. Base62 from the OS CSPRNG
 * with rejection sampling, so every character is uniform.
 */
import { randomFillSync } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Bytes are drawn from a pool refilled 4 KiB at a time, as Node's randomUUID does: one CSPRNG call per
// ~100 ids instead of one each (it showed up in order creation's profile). Callers copy what they take
// before returning, so a refill never changes bytes in use.
const pool = Buffer.alloc(4096);
let used = pool.length;

/** `count` fresh random bytes (a view into the pool: read it before the next call). */
export function takeRandomBytes(count: number): Buffer {
  if (count > pool.length) throw new Error(`at most ${pool.length} random bytes at a time`);
  if (used + count > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += count;
  return pool.subarray(used - count, used);
}

export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of takeRandomBytes(length * 2)) {
      // 248 = 4 * 62: bytes above it would bias the first characters.
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export const ID_PREFIXES = {
  merchant: "mer",
  apiKey: "key",
  order: "ord",
  event: "evt",
  webhookEndpoint: "we",
  delivery: "whd",
  refund: "re",
  duplicatePayment: "dup",
  chainTx: "ctx",
  relay: "rly",
  plan: "plan",
  subscription: "sub",
  invoice: "in",
  invitation: "inv",
  auditEntry: "aud",
} as const;

/** 24 base62 characters: ~143 bits, unguessable (order ids are public in checkout links). */
export function newId(kind: keyof typeof ID_PREFIXES): string {
  return `${ID_PREFIXES[kind]}_${randomBase62(24)}`;
}

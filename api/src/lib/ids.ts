/**
 * Random, prefixed object ids (`ord_...`, `we_...`) and API key secrets. Base62 from the OS CSPRNG
 * with rejection sampling, so every character is uniform.
 */
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
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
  chainTx: "ctx",
} as const;

/** 24 base62 characters: ~143 bits, unguessable (order ids are public in checkout links). */
export function newId(kind: keyof typeof ID_PREFIXES): string {
  return `${ID_PREFIXES[kind]}_${randomBase62(24)}`;
}

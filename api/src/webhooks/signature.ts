/**
 * Pier webhook signatures: the one place that signs and verifies them, with no dependency beyond
 * node:crypto so a future SDK can copy it (its test vectors are in signature.vectors.json).
 *
 *   Pier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>[,v1=<hex>...]
 *
 * While a secret rotates, the old and the new secret both sign: one `v1` per secret. A receiver accepts
 * the request when any `v1` matches one of its secrets and `t` is within the tolerance (5 min).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "Pier-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The hex HMAC of one secret over `t.body`. */
export function computeSignature(secret: string, timestamp: number, rawBody: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex");
}

/** The header value for `rawBody` signed at `timestamp` by every secret in `secrets`. */
export function signatureHeader(secrets: readonly string[], timestamp: number, rawBody: string): string {
  if (secrets.length === 0) throw new Error("at least one secret is required to sign");
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${computeSignature(s, timestamp, rawBody)}`)].join(",");
}

export type VerifyFailure = "malformed_header" | "no_signatures" | "timestamp_outside_tolerance" | "no_match";

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: VerifyFailure };

/**
 * Checks a `Pier-Signature` header against the raw body (exact bytes as received, before any JSON
 * parsing) and one or more secrets. `now` is unix seconds.
 */
export function verifySignature(
  header: string | undefined,
  rawBody: string,
  secrets: string | readonly string[],
  { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = Math.floor(Date.now() / 1000) } = {},
): VerifyResult {
  if (!header) return { ok: false, reason: "malformed_header" };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) return { ok: false, reason: "malformed_header" };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") {
      if (!/^\d{1,12}$/.test(value)) return { ok: false, reason: "malformed_header" };
      timestamp = Number(value);
    } else if (key === "v1" && /^[0-9a-f]{64}$/.test(value)) {
      signatures.push(value);
    }
  }
  if (timestamp === undefined) return { ok: false, reason: "malformed_header" };
  if (signatures.length === 0) return { ok: false, reason: "no_signatures" };
  if (Math.abs(now - timestamp) > toleranceSeconds)
    return { ok: false, reason: "timestamp_outside_tolerance" };
  const list = typeof secrets === "string" ? [secrets] : secrets;
  for (const secret of list) {
    const expected = Buffer.from(computeSignature(secret, timestamp, rawBody), "hex");
    for (const sig of signatures) {
      if (timingSafeEqual(expected, Buffer.from(sig, "hex"))) return { ok: true, timestamp };
    }
  }
  return { ok: false, reason: "no_match" };
}

/**
 * Webhook signatures. Pier signs every delivery:
 *
 *   Pier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>[,v1=...]
 *
 * one `v1` per active secret while a secret rotates. Verify against the raw body exactly as received
 * (parsing and re-serialising JSON changes the bytes), then use the returned, typed event:
 *
 *   const event = constructEvent(rawBody, req.headers["pier-signature"], process.env.PIER_WEBHOOK_SECRET!);
 *   if (event.type === "order.escrowed") fulfil(event.data.object.id);
 *
 * Test helpers: generateTestHeader() signs a payload, buildTestEvent() makes a signed event.
 * Only node:crypto is used; the vectors shared with the API's signer are in
 * api/src/webhooks/signature.vectors.json.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { SignatureVerificationError } from "./errors.ts";
import type { EventType, Order, Refund } from "./types.ts";

export { SignatureVerificationError };
export const SIGNATURE_HEADER = "Pier-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A webhook event as delivered; `data.object` is the order (order.*) or the refund (refund.*) then. */
export type WebhookEvent = {
  [T in EventType]: {
    id: string;
    type: T;
    created: number;
    livemode: boolean;
    data: { object: T extends `refund.${string}` ? Refund : Order };
  };
}[EventType];

export type RawBody = string | Uint8Array;

export interface VerifyOptions {
  /** Seconds between `t` and now that are accepted either way (default 300; 0 turns the check off). */
  toleranceSeconds?: number;
  /** Unix seconds (default: now). */
  now?: number;
}

/** The hex HMAC-SHA256 of one secret over `t.rawBody`. */
export function computeSignature(secret: string, timestamp: number, rawBody: RawBody): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest("hex");
}

/**
 * Checks the header against the raw body and one or more secrets (all accepted during rotation).
 * Returns the signature's timestamp; throws SignatureVerificationError with `code` saying why not.
 */
export function verifySignature(
  rawBody: RawBody,
  header: string | string[] | undefined | null,
  secrets: string | readonly string[],
  { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = Math.floor(Date.now() / 1000) }: VerifyOptions = {},
): { timestamp: number } {
  if (typeof rawBody !== "string" && !(rawBody instanceof Uint8Array))
    throw new TypeError(
      "verifySignature needs the raw body (string or Buffer) exactly as received, not parsed JSON",
    );
  const list = typeof secrets === "string" ? [secrets] : [...secrets];
  if (list.length === 0 || list.some((s) => typeof s !== "string" || s === ""))
    throw new TypeError("verifySignature needs at least one webhook signing secret");
  const value = Array.isArray(header) ? header.join(",") : header;
  if (!value) throw new SignatureVerificationError("malformed_header", `No ${SIGNATURE_HEADER} header`);
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0)
      throw new SignatureVerificationError("malformed_header", `Malformed ${SIGNATURE_HEADER} header`);
    const key = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (key === "t") {
      if (!/^\d{1,12}$/.test(v))
        throw new SignatureVerificationError(
          "malformed_header",
          `Malformed timestamp in ${SIGNATURE_HEADER}`,
        );
      timestamp = Number(v);
    } else if (key === "v1" && /^[0-9a-f]{64}$/.test(v)) {
      signatures.push(Buffer.from(v, "hex"));
    }
  }
  if (timestamp === undefined)
    throw new SignatureVerificationError("malformed_header", `No timestamp in ${SIGNATURE_HEADER}`);
  if (signatures.length === 0)
    throw new SignatureVerificationError("no_signatures", `No v1 signature in ${SIGNATURE_HEADER}`);
  if (toleranceSeconds > 0 && Math.abs(now - timestamp) > toleranceSeconds)
    throw new SignatureVerificationError(
      "timestamp_outside_tolerance",
      `Timestamp ${timestamp} is more than ${toleranceSeconds} s from now (${now}): a replay, or a wrong clock`,
    );
  for (const secret of list) {
    const expected = Buffer.from(computeSignature(secret, timestamp, rawBody), "hex");
    if (signatures.some((sig) => timingSafeEqual(expected, sig))) return { timestamp };
  }
  throw new SignatureVerificationError(
    "no_match",
    "No signature matches the body with the given secret(s): wrong secret, or the body was changed (parsed and re-serialised?)",
  );
}

/** Verifies, then parses the body into a typed event. */
export function constructEvent(
  rawBody: RawBody,
  header: string | string[] | undefined | null,
  secrets: string | readonly string[],
  options?: VerifyOptions,
): WebhookEvent {
  verifySignature(rawBody, header, secrets, options);
  const text = typeof rawBody === "string" ? rawBody : Buffer.from(rawBody).toString("utf8");
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new SignatureVerificationError("invalid_payload", "The signed body is not JSON");
  }
  const e = event as Partial<WebhookEvent>;
  if (!e || typeof e.id !== "string" || typeof e.type !== "string" || typeof e.data !== "object")
    throw new SignatureVerificationError("invalid_payload", "The signed body is not a Pier event");
  return event as WebhookEvent;
}

/** A `Pier-Signature` value for `payload`, signed by every secret given (one `v1` each). */
export function generateTestHeader({
  payload,
  secret,
  timestamp = Math.floor(Date.now() / 1000),
}: {
  payload: RawBody;
  secret: string | readonly string[];
  timestamp?: number;
}): string {
  const secrets = typeof secret === "string" ? [secret] : secret;
  if (secrets.length === 0) throw new TypeError("generateTestHeader needs at least one secret");
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${computeSignature(s, timestamp, payload)}`)].join(",");
}

/**
 * A correctly signed test event: `payload` (the raw body to send), `header` (its Pier-Signature) and
 * the parsed `event`. `object` defaults to a minimal order or refund fitting the type.
 *
 *   const { payload, header } = buildTestEvent("order.escrowed", { secret });
 *   await fetch(url, { method: "POST", body: payload, headers: { "Pier-Signature": header } });
 */
export function buildTestEvent<T extends EventType>(
  type: T,
  {
    secret,
    object,
    id = `evt_${randomId()}`,
    timestamp = Math.floor(Date.now() / 1000),
    livemode = false,
  }: {
    secret: string | readonly string[];
    object?: Partial<Extract<WebhookEvent, { type: T }>["data"]["object"]> & Record<string, unknown>;
    id?: string;
    timestamp?: number;
    livemode?: boolean;
  },
): { payload: string; header: string; event: Extract<WebhookEvent, { type: T }> } {
  const base = type.startsWith("refund.")
    ? { id: `re_${randomId()}`, object: "refund", livemode, order: `ord_${randomId()}` }
    : { id: `ord_${randomId()}`, object: "order", livemode, status: STATUS_AFTER[type] ?? type.slice(6) };
  const event = { id, type, created: timestamp, livemode, data: { object: { ...base, ...object } } };
  const payload = JSON.stringify(event);
  return {
    payload,
    header: generateTestHeader({ payload, secret, timestamp }),
    event: event as unknown as Extract<WebhookEvent, { type: T }>,
  };
}

/** Order events whose name is not the order's status afterwards. */
const STATUS_AFTER: Record<string, string> = {
  "order.partially_refunded": "escrowed",
  "order.payment_reverted": "open",
};

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function randomId(): string {
  return Array.from(randomBytes(24), (b) => ALPHABET[b % 62]).join("");
}

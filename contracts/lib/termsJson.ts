/**
 * Payment terms and records as JSON carries them (the API's `terms` and `payment_record` objects:
 * snake_case, every uint256 a decimal string) and as the escrow takes them (terms.ts `PaymentTerms` and
 * `PaymentRecord`, bigints). The one conversion between the two, for the API, the web checkout, the CLI,
 * scripts and tests. It follows the EIP-712 field list of the terms (terms.ts `paymentTermsTypes`), so a
 * field added there is converted and checked here too. Input is checked field by field: anything
 * malformed throws InvalidTermsJsonError naming the field, so it never reaches a signature or a call.
 */
import { type Address, isAddress } from "viem";
import { type PaymentRecord, type PaymentTerms, paymentTermsTypes } from "./terms.ts";

/** The JSON name of each PaymentTerms field. */
const JSON_NAMES = {
  orderId: "order_id",
  merchant: "merchant",
  token: "token",
  amount: "amount",
  fee: "fee",
  deadline: "deadline",
  escrowPeriod: "escrow_period",
  operator: "operator",
} as const satisfies Record<keyof PaymentTerms, string>;

/**
 * `PaymentTerms` in JSON: what the API returns as an order's or a checkout's `terms`. `order_id` is a
 * bytes32 (0x + 64 hex digits), addresses are 0x + 40 hex digits, uint256 fields (amount, fee, deadline
 * in unix seconds, escrow_period in seconds) are decimal strings.
 */
export type PaymentTermsJson = { [K in keyof PaymentTerms as (typeof JSON_NAMES)[K]]: string };

/** The escrow's `Payment` record in JSON: the checkout's `payment_record`. */
export interface PaymentRecordJson {
  terms: PaymentTermsJson;
  payer: string;
  refund_to: string;
  release_after: string;
}

/** JSON that is not valid terms or a valid record; `field` names the offending field (e.g. `terms.amount`). */
export class InvalidTermsJsonError extends Error {
  override name = "InvalidTermsJsonError";
  constructor(
    readonly field: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`invalid payment terms: ${field} must be ${expected}, got ${describe(value)}`);
  }
}

const MAX_UINT256 = 2n ** 256n - 1n;

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === undefined) return "nothing";
  return typeof value === "bigint" ? `${value}n` : `${JSON.stringify(value) ?? String(value)}`;
}

function objectAt(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InvalidTermsJsonError(field, value, "an object");
  return value as Record<string, unknown>;
}

/** A checked JSON value of each EIP-712 type the terms and records use. */
const parsers = {
  address(value: unknown, field: string): Address {
    // viem's check: 0x + 40 hex digits, and a valid checksum when the case is mixed.
    if (typeof value !== "string" || !isAddress(value))
      throw new InvalidTermsJsonError(
        field,
        value,
        "an address (0x + 40 hex digits, checksummed if mixed-case)",
      );
    return value;
  },
  bytes32(value: unknown, field: string) {
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value))
      throw new InvalidTermsJsonError(field, value, "a bytes32 (0x + 64 hex digits)");
    return value as `0x${string}`;
  },
  uint256(value: unknown, field: string): bigint {
    const expected = "a uint256 as a decimal string";
    if (typeof value !== "string" || !/^(0|[1-9][0-9]*)$/.test(value))
      throw new InvalidTermsJsonError(field, value, expected);
    const n = BigInt(value);
    if (n > MAX_UINT256) throw new InvalidTermsJsonError(field, value, expected);
    return n;
  },
};

/** Terms from JSON; `prefix` is where they sit in the input, for error messages ("" or "terms."). */
function termsAt(value: unknown, prefix: string): PaymentTerms {
  const json = objectAt(value, "terms");
  const terms: Record<string, unknown> = {};
  for (const { name, type } of paymentTermsTypes.PaymentTerms) {
    const key = JSON_NAMES[name];
    terms[name] = parsers[type](json[key], prefix + key);
  }
  return terms as unknown as PaymentTerms;
}

/** The API's terms JSON as the escrow's `PaymentTerms`; throws InvalidTermsJsonError on malformed input. */
export function paymentTermsFromJson(json: PaymentTermsJson): PaymentTerms {
  return termsAt(json, "");
}

/** `PaymentTerms` as the API's terms JSON (uint256 fields as decimal strings). */
export function paymentTermsToJson(terms: PaymentTerms): PaymentTermsJson {
  const json: Record<string, string> = {};
  for (const { name } of paymentTermsTypes.PaymentTerms) json[JSON_NAMES[name]] = String(terms[name]);
  return json as PaymentTermsJson;
}

/** A `payment_record` as the escrow's `Payment` struct (what release, refund, dispute ... take back). */
export function paymentRecordFromJson(json: PaymentRecordJson): PaymentRecord {
  const record = objectAt(json, "payment_record");
  return {
    terms: termsAt(record.terms, "terms."),
    payer: parsers.address(record.payer, "payer"),
    refundTo: parsers.address(record.refund_to, "refund_to"),
    releaseAfter: parsers.uint256(record.release_after, "release_after"),
  };
}

/** The escrow's `Payment` struct as a `payment_record` JSON object. */
export function paymentRecordToJson(record: PaymentRecord): PaymentRecordJson {
  return {
    terms: paymentTermsToJson(record.terms),
    payer: record.payer,
    refund_to: record.refundTo,
    release_after: record.releaseAfter.toString(),
  };
}

/**
 * Payment terms and records as JSON carries them (the API's `terms` and `payment_record` objects:
 * snake_case, every uint256 a decimal string) and as the escrow takes them (terms.ts `PaymentTerms` and
 * `PaymentRecord`, bigints). The one conversion between the two, for the API, the web checkout, the CLI,
 * scripts and tests. Input is checked field by field: anything malformed throws InvalidTermsJsonError
 * naming the field, so it never reaches a signature or a contract call.
 */
import { type Address, type Hex, isAddress } from "viem";
import type { PaymentRecord, PaymentTerms } from "./terms.ts";

/** `PaymentTerms` in JSON: what the API returns as an order's or a checkout's `terms`. */
export interface PaymentTermsJson {
  /** bytes32, 0x + 64 hex digits. */
  order_id: string;
  merchant: string;
  token: string;
  /** uint256 fields: decimal strings. */
  amount: string;
  fee: string;
  /** Unix seconds; the terms are payable strictly before it (terms.ts). */
  deadline: string;
  escrow_period: string;
  operator: string;
}

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
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

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

function addressAt(json: Record<string, unknown>, key: string, prefix: string): Address {
  const value = json[key];
  // viem's check: 0x + 40 hex digits, and a valid checksum when the case is mixed.
  if (typeof value !== "string" || !isAddress(value))
    throw new InvalidTermsJsonError(
      prefix + key,
      value,
      "an address (0x + 40 hex digits, checksummed if mixed-case)",
    );
  return value;
}

function bytes32At(json: Record<string, unknown>, key: string, prefix: string): Hex {
  const value = json[key];
  if (typeof value !== "string" || !BYTES32.test(value))
    throw new InvalidTermsJsonError(prefix + key, value, "a bytes32 (0x + 64 hex digits)");
  return value as Hex;
}

function uint256At(json: Record<string, unknown>, key: string, prefix: string): bigint {
  const value = json[key];
  const expected = "a uint256 as a decimal string";
  if (typeof value !== "string" || !DECIMAL.test(value))
    throw new InvalidTermsJsonError(prefix + key, value, expected);
  const n = BigInt(value);
  if (n > MAX_UINT256) throw new InvalidTermsJsonError(prefix + key, value, expected);
  return n;
}

function termsAt(value: unknown, prefix: string): PaymentTerms {
  const json = objectAt(value, prefix ? prefix.slice(0, -1) : "terms");
  return {
    orderId: bytes32At(json, "order_id", prefix),
    merchant: addressAt(json, "merchant", prefix),
    token: addressAt(json, "token", prefix),
    amount: uint256At(json, "amount", prefix),
    fee: uint256At(json, "fee", prefix),
    deadline: uint256At(json, "deadline", prefix),
    escrowPeriod: uint256At(json, "escrow_period", prefix),
    operator: addressAt(json, "operator", prefix),
  };
}

/** The API's terms JSON as the escrow's `PaymentTerms`; throws InvalidTermsJsonError on malformed input. */
export function paymentTermsFromJson(json: PaymentTermsJson): PaymentTerms {
  return termsAt(json, "");
}

/** `PaymentTerms` as the API's terms JSON (uint256 fields as decimal strings). */
export function paymentTermsToJson(terms: PaymentTerms): PaymentTermsJson {
  return {
    order_id: terms.orderId,
    merchant: terms.merchant,
    token: terms.token,
    amount: terms.amount.toString(),
    fee: terms.fee.toString(),
    deadline: terms.deadline.toString(),
    escrow_period: terms.escrowPeriod.toString(),
    operator: terms.operator,
  };
}

/** A `payment_record` as the escrow's `Payment` struct (what release, refund, dispute ... take back). */
export function paymentRecordFromJson(json: PaymentRecordJson): PaymentRecord {
  const record = objectAt(json, "payment_record");
  return {
    terms: termsAt(record.terms, "terms."),
    payer: addressAt(record, "payer", ""),
    refundTo: addressAt(record, "refund_to", ""),
    releaseAfter: uint256At(record, "release_after", ""),
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

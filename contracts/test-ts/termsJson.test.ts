/** contracts/lib/termsJson.ts: the API's terms and payment_record JSON to the escrow's structs and back. */
import { describe, expect, it } from "vitest";
import type { PaymentRecord, PaymentTerms } from "../lib/terms.ts";
import {
  InvalidTermsJsonError,
  type PaymentTermsJson,
  paymentRecordFromJson,
  paymentRecordToJson,
  paymentTermsFromJson,
  paymentTermsToJson,
} from "../lib/termsJson.ts";

const json: PaymentTermsJson = {
  order_id: "0x5bb7a0e3c5e2d8d0fb3f4f3f9aa0f1c0a4f0f7e6b0b5f2fd2f8bb0a1c7d5e3f1",
  merchant: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
  token: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  amount: "25000000",
  fee: "62500",
  deadline: "1767225600",
  escrow_period: "604800",
  operator: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
};

const terms: PaymentTerms = {
  orderId: "0x5bb7a0e3c5e2d8d0fb3f4f3f9aa0f1c0a4f0f7e6b0b5f2fd2f8bb0a1c7d5e3f1",
  merchant: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
  token: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  amount: 25_000_000n,
  fee: 62_500n,
  deadline: 1_767_225_600n,
  escrowPeriod: 604_800n,
  operator: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
};

const record: PaymentRecord = {
  terms,
  payer: "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
  refundTo: "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
  releaseAfter: 1_767_830_400n,
};

/** The InvalidTermsJsonError `convert` throws (fails the test when it throws nothing or something else). */
function refusal(convert: () => unknown): InvalidTermsJsonError {
  try {
    convert();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTermsJsonError);
    return error as InvalidTermsJsonError;
  }
  throw new Error("expected InvalidTermsJsonError, nothing was thrown");
}

describe("terms", () => {
  it("default: JSON becomes PaymentTerms with bigints, and back to the same JSON", () => {
    expect(paymentTermsFromJson(json)).toEqual(terms);
    expect(paymentTermsToJson(terms)).toEqual(json);
    expect(paymentTermsToJson(paymentTermsFromJson(json))).toEqual(json);
  });

  it("behavior: the uint256 bounds are taken exactly (0 and 2^256 - 1)", () => {
    const max = (2n ** 256n - 1n).toString();
    const t = paymentTermsFromJson({ ...json, fee: "0", amount: max });
    expect(t.fee).toBe(0n);
    expect(t.amount).toBe(2n ** 256n - 1n);
  });

  it("behavior: fields other than the terms' are ignored (an order object carries more)", () => {
    expect(paymentTermsFromJson({ ...json, extra: "x" } as PaymentTermsJson)).toEqual(terms);
  });

  it.each([
    ["amount", "12.5"],
    ["amount", "-1"],
    ["amount", "1e6"],
    ["amount", " 10"],
    ["amount", "010"],
    ["amount", ""],
    ["amount", (2n ** 256n).toString()],
    ["fee", 62_500],
    ["deadline", null],
    ["escrow_period", undefined],
    ["order_id", "0x1234"],
    ["order_id", `0x${"g".repeat(64)}`],
    ["merchant", "0x9965507d1a55bcc2695c58ba16fb37d819b0a4d"],
    ["merchant", "0x9965507D1a55bcC2695C58ba16FB37d819B0A4DC"],
    ["token", "not an address"],
    ["operator", 1],
  ])("error: %s = %j is refused, naming the field", (field, value) => {
    const error = refusal(() =>
      paymentTermsFromJson({ ...json, [field]: value } as unknown as PaymentTermsJson),
    );
    expect(error.field).toBe(field);
    expect(error.value).toBe(value);
    expect(error.message).toContain(field);
  });

  it("error: something that is not an object is refused", () => {
    expect(refusal(() => paymentTermsFromJson(null as unknown as PaymentTermsJson)).field).toBe("terms");
    expect(refusal(() => paymentTermsFromJson("terms" as unknown as PaymentTermsJson)).field).toBe("terms");
  });
});

describe("records", () => {
  const recordJson = {
    terms: json,
    payer: "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
    refund_to: "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
    release_after: "1767830400",
  };

  it("default: a payment_record becomes the escrow's Payment struct, and back", () => {
    expect(paymentRecordFromJson(recordJson)).toEqual(record);
    expect(paymentRecordToJson(record)).toEqual(recordJson);
  });

  it("error: a malformed field of the record or of its terms is refused, with its path", () => {
    expect(refusal(() => paymentRecordFromJson({ ...recordJson, refund_to: "0x0" })).field).toBe("refund_to");
    expect(refusal(() => paymentRecordFromJson({ ...recordJson, release_after: "soon" })).field).toBe(
      "release_after",
    );
    expect(
      refusal(() => paymentRecordFromJson({ ...recordJson, terms: { ...json, fee: "1.5" } })).field,
    ).toBe("terms.fee");
    const noTerms = { ...recordJson, terms: undefined } as unknown as typeof recordJson;
    expect(refusal(() => paymentRecordFromJson(noTerms)).field).toBe("terms");
  });
});

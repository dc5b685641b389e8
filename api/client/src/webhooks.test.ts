import { describe, expect, test } from "vitest";
import vectors from "../../src/webhooks/signature.vectors.json" with { type: "json" };
import {
  buildTestEvent,
  constructEvent,
  generateTestHeader,
  SignatureVerificationError,
  verifySignature,
} from "./webhooks.ts";

function failure(fn: () => unknown): SignatureVerificationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SignatureVerificationError) return error;
    throw error;
  }
  throw new Error("expected a SignatureVerificationError");
}

describe("verifySignature: the vectors shared with the API's signer", () => {
  for (const v of vectors.cases) {
    test(`vector: ${v.name}`, () => {
      const run = () => verifySignature(v.body, v.header, v.secrets, { now: v.now });
      if (v.expected.ok) expect(run().timestamp).toBe(Number(v.header.slice(2, 12)));
      else expect(failure(run).code).toBe(v.expected.reason);
    });
  }

  test("behavior: a Buffer body verifies like the string", () => {
    const v = vectors.cases[0]!;
    expect(() => verifySignature(Buffer.from(v.body), v.header, v.secrets, { now: v.now })).not.toThrow();
  });

  test("behavior: during rotation the receiver may hold both secrets", () => {
    const { secrets, timestamp, body, header } = vectors.signing;
    expect(verifySignature(body, header, [...secrets].reverse(), { now: timestamp })).toEqual({ timestamp });
  });

  test("error: parsed JSON instead of the raw body is refused with a hint", () => {
    const v = vectors.cases[0]!;
    expect(() => verifySignature(JSON.parse(v.body), v.header, v.secrets, { now: v.now })).toThrow(
      /raw body/,
    );
  });

  test("error: re-serialised JSON (other whitespace) does not verify", () => {
    const v = vectors.cases[0]!;
    const reserialised = JSON.stringify(JSON.parse(v.body), null, 2);
    expect(failure(() => verifySignature(reserialised, v.header, v.secrets, { now: v.now })).code).toBe(
      "no_match",
    );
  });

  test("error: a timestamp in the future beyond the tolerance", () => {
    const v = vectors.cases[0]!;
    expect(failure(() => verifySignature(v.body, v.header, v.secrets, { now: 1767225600 - 301 })).code).toBe(
      "timestamp_outside_tolerance",
    );
  });

  test("error: no header, no secret", () => {
    expect(failure(() => verifySignature("{}", undefined, "s")).code).toBe("malformed_header");
    expect(() => verifySignature("{}", "t=1,v1=00", [])).toThrow(TypeError);
  });
});

describe("generateTestHeader / buildTestEvent", () => {
  test("default: the same header as the API's signer (one v1 per secret, in order)", () => {
    const { secrets, timestamp, body, header } = vectors.signing;
    expect(generateTestHeader({ payload: body, secret: secrets, timestamp })).toBe(header);
  });

  test("default: a signed event that constructEvent accepts and types", () => {
    const { payload, header, event } = buildTestEvent("order.escrowed", {
      secret: "whsec_test_local",
      object: { amount: "25000000" },
    });
    const parsed = constructEvent(payload, header, "whsec_test_local");
    expect(parsed).toEqual(event);
    expect(parsed.type).toBe("order.escrowed");
    if (parsed.type === "order.escrowed") {
      expect(parsed.data.object.status).toBe("escrowed");
      expect(parsed.data.object.amount).toBe("25000000");
      expect(parsed.data.object.id).toMatch(/^ord_[0-9A-Za-z]{24}$/);
    }
    expect(buildTestEvent("refund.succeeded", { secret: "s" }).event.data.object.object).toBe("refund");
  });

  test("error: constructEvent refuses a tampered body and a body that is not an event", () => {
    const { payload, header } = buildTestEvent("order.settled", { secret: "s" });
    expect(failure(() => constructEvent(payload.replace("settled", "refunded"), header, "s")).code).toBe(
      "no_match",
    );
    const notJson = "not json";
    expect(
      failure(() => constructEvent(notJson, generateTestHeader({ payload: notJson, secret: "s" }), "s")).code,
    ).toBe("invalid_payload");
    const notEvent = '{"hello":1}';
    expect(
      failure(() => constructEvent(notEvent, generateTestHeader({ payload: notEvent, secret: "s" }), "s"))
        .code,
    ).toBe("invalid_payload");
  });
});

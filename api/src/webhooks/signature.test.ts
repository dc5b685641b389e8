import { describe, expect, test } from "vitest";
import { computeSignature, signatureHeader, verifySignature } from "./signature.ts";
import vectors from "./signature.vectors.json" with { type: "json" };

describe("verifySignature (shared vectors)", () => {
  for (const v of vectors.cases) {
    test(`vector: ${v.name}`, () => {
      const result = verifySignature(v.header, v.body, v.secrets, { now: v.now });
      expect(result.ok).toBe(v.expected.ok);
      if (!result.ok) expect(result.reason).toBe(v.expected.reason);
    });
  }
});

describe("signatureHeader", () => {
  test("default: one v1 per secret, in order", () => {
    const { secrets, timestamp, body, header } = vectors.signing;
    expect(signatureHeader(secrets, timestamp, body)).toBe(header);
  });

  test("behavior: signature is HMAC-SHA256 over t.body in lowercase hex", () => {
    expect(computeSignature("key", 1, "{}")).toMatch(/^[0-9a-f]{64}$/);
    expect(computeSignature("key", 1, "{}")).not.toBe(computeSignature("key", 2, "{}"));
  });

  test("error: signing needs a secret", () => {
    expect(() => signatureHeader([], 1, "{}")).toThrow();
  });

  test("error: missing header", () => {
    expect(verifySignature(undefined, "{}", "s")).toEqual({ ok: false, reason: "malformed_header" });
  });

  test("behavior: timestamp in the future beyond tolerance is refused", () => {
    const header = signatureHeader(["s"], 1000, "{}");
    expect(verifySignature(header, "{}", "s", { now: 1000 - 301 })).toEqual({
      ok: false,
      reason: "timestamp_outside_tolerance",
    });
  });
});

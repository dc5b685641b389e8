import { describe, expect, test } from "vitest";
import { type DeriveInput, deriveStatus } from "./deriveStatus.ts";

const base: DeriveInput = {
  canceled: false,
  deadline: 1_000n,
  payment: null,
  now: 500,
  head: { number: 100n },
  indexer: { blockNumber: 100n, timestamp: 500n },
  confirmations: 3,
};
const paid = (over: Partial<NonNullable<DeriveInput["payment"]>> = {}) => ({
  status: "escrowed" as const,
  disputed: false,
  paidBlockNumber: 100n,
  amountReleased: 0n,
  ...over,
});

describe("deriveStatus", () => {
  test("default: unpaid before the deadline is open", () => {
    expect(deriveStatus(base)).toBe("open");
  });
  test("behavior: canceled while unpaid", () => {
    expect(deriveStatus({ ...base, canceled: true })).toBe("canceled");
  });
  test("behavior: expired once the indexer saw a block at or after the deadline (payments land strictly before it)", () => {
    expect(deriveStatus({ ...base, indexer: { blockNumber: 101n, timestamp: 999n } })).toBe("open");
    expect(deriveStatus({ ...base, indexer: { blockNumber: 101n, timestamp: 1_000n } })).toBe("expired");
    expect(deriveStatus({ ...base, indexer: { blockNumber: 101n, timestamp: 1_001n } })).toBe("expired");
  });
  test("behavior: expired on time alone only when the indexer is caught up, after a grace", () => {
    expect(deriveStatus({ ...base, now: 1_010 })).toBe("open");
    expect(deriveStatus({ ...base, now: 1_016 })).toBe("expired");
    expect(deriveStatus({ ...base, now: 1_016, head: { number: 105n } })).toBe("open");
    expect(deriveStatus({ ...base, now: 5_000, indexer: undefined })).toBe("open");
  });
  test("behavior: processing until deep enough, then escrowed", () => {
    expect(deriveStatus({ ...base, payment: paid() })).toBe("processing");
    expect(deriveStatus({ ...base, payment: paid(), head: { number: 101n } })).toBe("processing");
    expect(deriveStatus({ ...base, payment: paid(), head: { number: 102n } })).toBe("escrowed");
    expect(deriveStatus({ ...base, payment: paid(), confirmations: 0 })).toBe("escrowed");
  });
  test("behavior: a payment wins over cancel and expiry", () => {
    expect(deriveStatus({ ...base, canceled: true, now: 9_999, payment: paid(), confirmations: 1 })).toBe(
      "escrowed",
    );
  });
  test("behavior: a charge, released in its paying block, is processing until that block is deep enough", () => {
    const charged = paid({ status: "released" });
    expect(deriveStatus({ ...base, payment: charged })).toBe("processing");
    expect(deriveStatus({ ...base, payment: charged, head: { number: 101n } })).toBe("processing");
    expect(deriveStatus({ ...base, payment: charged, head: { number: 102n } })).toBe("settled");
  });
  test("behavior: disputed, settled, refunded, resolved", () => {
    expect(deriveStatus({ ...base, payment: paid({ disputed: true }) })).toBe("disputed");
    expect(deriveStatus({ ...base, head: { number: 102n }, payment: paid({ status: "released" }) })).toBe(
      "settled",
    );
    expect(deriveStatus({ ...base, payment: paid({ status: "refunded" }) })).toBe("refunded");
    expect(
      deriveStatus({ ...base, payment: paid({ status: "resolved", amountReleased: 1n, disputed: true }) }),
    ).toBe("settled");
    expect(
      deriveStatus({ ...base, payment: paid({ status: "resolved", amountReleased: 0n, disputed: true }) }),
    ).toBe("refunded");
  });
});

import type { Order } from "@pier/client/types";
import { describe, expect, test } from "vitest";
import { matchesSearch, ordersPath } from "./orderQuery.ts";
import { parseRefundAmount } from "./RefundDialog.tsx";

describe("ordersPath", () => {
  test("default: newest 100, no filters", () => {
    expect(ordersPath({ status: "", paidIn: "", from: "", to: "", search: "" })).toBe("/v1/orders?limit=100");
  });
  test("behavior: status, a local-day range and a key=value search become API filters", () => {
    const path = ordersPath({
      status: "escrowed",
      paidIn: "",
      from: "2026-03-01",
      to: "2026-03-02",
      search: "sku=A-1",
    });
    const q = new URL(path, "http://x").searchParams;
    expect(q.get("status")).toBe("escrowed");
    expect(Number(q.get("created[gte]"))).toBe(new Date("2026-03-01T00:00:00").getTime() / 1000);
    expect(Number(q.get("created[lte]"))).toBe(new Date("2026-03-02T23:59:59").getTime() / 1000);
    expect(q.get("metadata[sku]")).toBe("A-1");
  });

  test("behavior: a network, or a token on a network, becomes the network and token filters", () => {
    const token = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
    const on = (paidIn: string) =>
      new URL(ordersPath({ status: "", paidIn, from: "", to: "", search: "" }), "http://x").searchParams;
    expect(on("1337").get("network")).toBe("1337");
    expect(on("1337").get("token")).toBeNull();
    expect(on(`31337:${token}`).get("network")).toBe("31337");
    expect(on(`31337:${token}`).get("token")).toBe(token);
  });
});

describe("matchesSearch", () => {
  const order = {
    id: "ord_abc",
    description: "Espresso grinder",
    metadata: { customer: "Ada" },
  } as unknown as Order;
  test("behavior: matches id, description and metadata, case-insensitively", () => {
    expect(matchesSearch(order, "GRINDER")).toBe(true);
    expect(matchesSearch(order, "ada")).toBe(true);
    expect(matchesSearch(order, "ord_ab")).toBe(true);
    expect(matchesSearch(order, "kettle")).toBe(false);
  });
});

describe("parseRefundAmount", () => {
  test("default: exact token units from a decimal string", () => {
    expect(parseRefundAmount("2.5", 6, 10_000_000n)).toEqual({ units: 2_500_000n });
    expect(parseRefundAmount("10", 6, 10_000_000n)).toEqual({ units: 10_000_000n });
  });
  test("error: more than remains, too many decimals, zero, or not a number", () => {
    expect(parseRefundAmount("10.000001", 6, 10_000_000n)).toEqual({
      error: "At most 10.00 can be refunded.",
    });
    expect(parseRefundAmount("1.0000001", 6, 10_000_000n)).toEqual({ error: "At most 6 decimals." });
    expect(parseRefundAmount("0", 6, 10_000_000n)).toEqual({ error: "The amount must be more than zero." });
    expect(parseRefundAmount("1e3", 6, 10_000_000n)).toEqual({ error: "Enter an amount such as 2.50." });
  });
});

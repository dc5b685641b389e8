/**
 * Checkout input from the browser, fuzzed: any path maps to a route without throwing (a mangled
 * /pay/%E0%A4 link once crashed the page), and an order id the API would refuse is refused before any
 * request leaves the browser. Amounts and addresses reach the page only inside the API's checkout
 * payload, which the API validates; the page never parses them from user input.
 */
import fc from "fast-check";
import { afterEach, describe, expect, test, vi } from "vitest";
import { fetchCheckout, ORDER_ID_PATTERN } from "./checkoutApi.ts";
import { matchRoute } from "./router.ts";

/** The API's order id pattern (api/src/schemas/order.ts OrderIdPattern): the page must agree with it. */
const API_ORDER_ID = "^ord_[0-9A-Za-z]{24}$";

afterEach(() => {
  vi.unstubAllGlobals();
});

const pathish = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc
    .string({ unit: fc.constantFrom("%", "E", "0", "A", "4", "/", "x", "ü", "\u0000"), maxLength: 30 })
    .map((s) => `/pay/${s}`),
  fc.string({ maxLength: 40 }).map((s) => `/l/${s}`),
);

describe("checkout input", () => {
  test("behavior: any path maps to a route without throwing; malformed escapes are not found", () => {
    fc.assert(
      fc.property(pathish, (path) => {
        const route = matchRoute(path);
        expect(["checkout", "link", "dashboard", "home", "notFound"]).toContain(route.name);
      }),
      { numRuns: 2_000 },
    );
    expect(matchRoute("/pay/%E0%A4%A")).toEqual({ name: "notFound" });
    expect(matchRoute("/pay/ord_abc")).toEqual({ name: "checkout", orderId: "ord_abc" });
  });

  test("behavior: the page's order id rule is the API's", () => {
    expect(ORDER_ID_PATTERN.source).toBe(API_ORDER_ID);
  });

  test("error: an order id the API would refuse never leaves the browser", async () => {
    const fetchSpy = vi.fn(async () => new Response("{}", { status: 500 }));
    vi.stubGlobal("fetch", fetchSpy);
    const bad = fc
      .oneof(
        fc.string({ maxLength: 60 }),
        fc.stringMatching(/^ord_[0-9A-Za-z]{0,23}$/),
        fc.stringMatching(/^ord_[0-9A-Za-z]{25,30}$/),
        fc.constantFrom(
          "ord_AAAAAAAAAAAAAAAAAAAAAAA'",
          "ord_../../../v1/orders",
          "ord_%00AAAAAAAAAAAAAAAAAAAAAA",
        ),
      )
      .filter((s) => !new RegExp(API_ORDER_ID).test(s));
    await fc.assert(
      fc.asyncProperty(bad, async (id) => {
        await expect(fetchCheckout(id)).rejects.toMatchObject({ status: 400, code: "invalid_id" });
      }),
      { numRuns: 1_000 },
    );
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

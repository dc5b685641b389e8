import { expect, test } from "vitest";
import { matchRoute } from "./router.ts";

test("default: /pay/:orderId is the checkout", () => {
  expect(matchRoute("/pay/ord_abc")).toEqual({ name: "checkout", orderId: "ord_abc" });
  expect(matchRoute("/pay/ord_abc/")).toEqual({ name: "checkout", orderId: "ord_abc" });
});

test("behavior: dashboard, home and anything else", () => {
  expect(matchRoute("/dashboard")).toEqual({ name: "dashboard" });
  expect(matchRoute("/dashboard/orders")).toEqual({ name: "dashboard" });
  expect(matchRoute("/")).toEqual({ name: "home" });
  expect(matchRoute("/pay")).toEqual({ name: "notFound" });
  expect(matchRoute("/pay/a/b")).toEqual({ name: "notFound" });
});

test("behavior: /l/:linkId is a payment link's page", () => {
  expect(matchRoute("/l/pl_abc")).toEqual({ name: "link", linkId: "pl_abc" });
  expect(matchRoute("/l/pl_abc/")).toEqual({ name: "link", linkId: "pl_abc" });
  expect(matchRoute("/l")).toEqual({ name: "notFound" });
});

test("behavior: /s/:subscriptionId is a subscription's page", () => {
  expect(matchRoute("/s/sub_abc")).toEqual({ name: "subscribe", subscriptionId: "sub_abc" });
  expect(matchRoute("/s/sub_abc/")).toEqual({ name: "subscribe", subscriptionId: "sub_abc" });
  expect(matchRoute("/s")).toEqual({ name: "notFound" });
  expect(matchRoute("/s/a/b")).toEqual({ name: "notFound" });
  expect(matchRoute("/s/%E0%A4%A")).toEqual({ name: "notFound" });
});

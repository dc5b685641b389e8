import { describe, expect, test } from "vitest";
import { type OrderFacts, orderTransitions } from "./orderTransitions.ts";

const open: OrderFacts = {
  status: "open",
  amountRefunded: 0n,
  paidBlockHash: null,
  releasedTxHash: null,
  lastRefundTxHash: null,
  resolvedTxHash: null,
  disputedTxHash: null,
};

describe("orderTransitions", () => {
  test("default: one event per status change, keyed by the on-chain fact", () => {
    expect(orderTransitions("ord_1", open, { ...open, status: "processing", paidBlockHash: "0xb1" })).toEqual(
      [{ type: "order.processing", dedupeKey: "ord_1:processing:0xb1" }],
    );
    expect(orderTransitions("ord_1", open, { ...open, status: "escrowed", paidBlockHash: "0xb1" })).toEqual([
      { type: "order.escrowed", dedupeKey: "ord_1:escrowed:0xb1" },
    ]);
  });
  test("behavior: no change, no event", () => {
    expect(orderTransitions("ord_1", open, open)).toEqual([]);
  });
  test("behavior: a vanished payment is order.payment_reverted; a re-included one is a new processing", () => {
    const processing = { ...open, status: "processing" as const, paidBlockHash: "0xb1" };
    expect(orderTransitions("ord_1", processing, open)).toEqual([
      { type: "order.payment_reverted", dedupeKey: "ord_1:payment_reverted:0xb1" },
    ]);
    expect(orderTransitions("ord_1", open, { ...processing, paidBlockHash: "0xb2" })[0]!.dedupeKey).toBe(
      "ord_1:processing:0xb2",
    );
  });
  test("behavior: a payout the token refused is order.payout_credited, keyed by the credited total", () => {
    const escrowed = { ...open, status: "escrowed" as const, paidBlockHash: "0xb1" };
    const settled = { ...escrowed, status: "settled" as const, releasedTxHash: "0xr", credited: 9n };
    expect(orderTransitions("ord_1", escrowed, settled)).toEqual([
      { type: "order.payout_credited", dedupeKey: "ord_1:payout_credited:9" },
      { type: "order.settled", dedupeKey: "ord_1:settled:0xr" },
    ]);
    // Withdrawn later: the credited total never falls, and no new event is planned.
    expect(orderTransitions("ord_1", settled, settled)).toEqual([]);
  });
  test("behavior: a payment settled before it was announced (a charge) is order.escrowed, then order.settled", () => {
    const charged = { ...open, status: "settled" as const, paidBlockHash: "0xb1", releasedTxHash: "0xp" };
    const processing = { ...open, status: "processing" as const, paidBlockHash: "0xb1" };
    const announced = [
      { type: "order.escrowed", dedupeKey: "ord_1:escrowed:0xb1" },
      { type: "order.settled", dedupeKey: "ord_1:settled:0xp" },
    ];
    expect(orderTransitions("ord_1", processing, charged)).toEqual(announced);
    expect(orderTransitions("ord_1", open, charged)).toEqual(announced);
    expect(orderTransitions("ord_1", { ...open, status: "canceled" }, charged)).toEqual(announced);
    // Announced already: settling adds order.settled only.
    const escrowed = { ...processing, status: "escrowed" as const };
    expect(orderTransitions("ord_1", escrowed, charged)).toEqual([announced[1]]);
  });
  test("behavior: partial refunds keyed by the refunded total; a full refund is order.refunded", () => {
    const escrowed = { ...open, status: "escrowed" as const, paidBlockHash: "0xb1" };
    expect(orderTransitions("ord_1", escrowed, { ...escrowed, amountRefunded: 3n })).toEqual([
      { type: "order.partially_refunded", dedupeKey: "ord_1:partially_refunded:3" },
    ]);
    expect(
      orderTransitions(
        "ord_1",
        { ...escrowed, amountRefunded: 3n },
        {
          ...escrowed,
          status: "refunded",
          amountRefunded: 10n,
          lastRefundTxHash: "0xt",
        },
      ),
    ).toEqual([{ type: "order.refunded", dedupeKey: "ord_1:refunded:0xt" }]);
  });
});

import type { Order } from "@pier/client/types";
import { describe, expect, test } from "vitest";
import { csvCell, ordersCsv, settlementsCsv, toCsv } from "./csv.ts";

const ZERO_ADDRESS = `0x${"0".repeat(40)}` as const;

const order = (over: Partial<Order>): Order => ({
  id: "ord_aaaaaaaaaaaaaaaaaaaaaaaa",
  object: "order",
  livemode: false,
  status: "settled",
  amount: "10000000",
  amount_refunded: "2500000",
  amount_released: "7425000",
  fee: "75000",
  fee_paid: "75000",
  relay_fee: null,
  currency: "tUSDC",
  token: { address: ZERO_ADDRESS, symbol: "tUSDC", decimals: 6, peg: "USD", methods: ["allowance"] },
  fiat: null,
  description: 'Beans, "dark"',
  metadata: {},
  chain_id: 31337,
  network: { chain_id: 31337, name: "Local", testnet: true, explorer_url: null },
  escrow: ZERO_ADDRESS,
  onchain_order_id: "0x01",
  payment_id: "0x02",
  checkout_url: "",
  success_url: null,
  cancel_url: null,
  expires_at: 0,
  escrow_period: 0,
  created: 1_767_225_600,
  canceled_at: null,
  terms: {
    order_id: "0x01",
    merchant: ZERO_ADDRESS,
    token: ZERO_ADDRESS,
    amount: "10000000",
    fee: "75000",
    deadline: "0",
    escrow_period: "0",
    operator: ZERO_ADDRESS,
  },
  signature: "0x",
  payment: {
    payer: "0xpayer",
    refund_to: "0xpayer",
    method: "permit",
    tx_hash: "0xpay",
    block_number: 1,
    block_hash: "0xblock",
    paid_at: 1_767_225_700,
    release_after: 0,
    confirmations: 2,
    held: false,
    released_at: 1_767_312_000,
    released_tx_hash: "0xrel",
    released_early: false,
    merchant_credited: "0",
    refund_credited: "0",
  },
  dispute: null,
  ...over,
});

describe("csv", () => {
  test("default: quotes commas, quotes and newlines; CRLF rows", () => {
    expect(toCsv([["a", 'b,"c"', "d\ne"]])).toBe('a,"b,""c""","d\ne"\r\n');
  });
  test("behavior: cells a spreadsheet would evaluate are neutralised", () => {
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@x")).toBe("'@x");
  });
  test("default: orders in exact token decimals, no float rounding", () => {
    const lines = ordersCsv([order({ amount: "123456789012345678901" })]).split("\r\n");
    expect(lines[0]).toBe(
      "id,created,status,description,currency,amount,refunded,released,fee,payer,payment_tx,release_tx",
    );
    expect(lines[1]).toBe(
      'ord_aaaaaaaaaaaaaaaaaaaaaaaa,2026-01-01T00:00:00.000Z,settled,"Beans, ""dark""",tUSDC,123456789012345.678901,2.5,7.425,0.075,0xpayer,0xpay,0xrel',
    );
  });
  test("behavior: settlements list only released orders", () => {
    const csv = settlementsCsv([order({}), order({ id: "ord_open", payment: null, status: "open" })]);
    const lines = csv.trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      "ord_aaaaaaaaaaaaaaaaaaaaaaaa,2026-01-02T00:00:00.000Z,tUSDC,10,2.5,0.075,7.425,0xrel",
    );
  });
});

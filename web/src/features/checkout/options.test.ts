import { describe, expect, test } from "vitest";
import type { Checkout, CheckoutOption } from "../../lib/checkoutApi.ts";
import { checkoutOptions, optionKey, selectedOption, showsPicker } from "./options.ts";

const usdc = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const dai = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

const optionA: CheckoutOption = {
  chain_id: 31337,
  network: { chain_id: 31337, name: "Local A", testnet: true, explorer_url: null },
  token: { address: usdc, symbol: "tUSDC", decimals: 6, peg: "USD", methods: ["authorization", "allowance"] },
  amount: "10000000",
  selected: true,
};
const optionB: CheckoutOption = {
  chain_id: 1337,
  network: { chain_id: 1337, name: "Local B", testnet: true, explorer_url: "https://explorer.example" },
  token: { address: dai, symbol: "DAI", decimals: 18, peg: "USD", methods: ["dai_permit", "allowance"] },
  amount: "10000000000000000000",
  selected: false,
};

function checkout(over: Partial<Checkout> = {}): Checkout {
  return {
    status: "open",
    chain_id: optionA.chain_id,
    network: optionA.network,
    token: optionA.token,
    amount: optionA.amount,
    options: [optionA, optionB],
    ...over,
  } as Checkout;
}

describe("options", () => {
  test("default: the selected option is the one the API marks", () => {
    expect(selectedOption(checkout())).toBe(optionA);
    expect(
      selectedOption(
        checkout({
          options: [
            { ...optionA, selected: false },
            { ...optionB, selected: true },
          ],
        }),
      ),
    ).toMatchObject({ chain_id: 1337 });
  });

  test("behavior: with no flag set, the option matching the checkout's chain and token (any address case)", () => {
    const unflagged = [
      { ...optionA, selected: false },
      { ...optionB, selected: false },
    ];
    const c = checkout({
      options: unflagged,
      chain_id: 1337,
      token: { ...optionB.token, address: dai.toLowerCase() as `0x${string}` },
    });
    expect(selectedOption(c).chain_id).toBe(1337);
    expect(optionKey(optionB)).toBe(`1337:${dai.toLowerCase()}`);
  });

  test("behavior: an API without options gives one option, the order's own; no picker", () => {
    const c = checkout({ options: undefined });
    expect(checkoutOptions(c)).toEqual([
      { chain_id: 31337, network: optionA.network, token: optionA.token, amount: "10000000", selected: true },
    ]);
    expect(showsPicker(c)).toBe(false);
    expect(showsPicker(checkout({ options: [optionA] }))).toBe(false);
  });

  test("behavior: the picker shows only while the order is open and has a choice", () => {
    expect(showsPicker(checkout())).toBe(true);
    expect(showsPicker(checkout({ status: "processing" }))).toBe(false);
    expect(showsPicker(checkout({ status: "canceled" }))).toBe(false);
  });
});

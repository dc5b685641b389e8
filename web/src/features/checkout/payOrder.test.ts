import { expect, test } from "vitest";
import { isContractAccount, stepsOf } from "./payOrder.ts";

test("default: an account without code is a plain key account", () => {
  expect(isContractAccount(undefined)).toBe(false);
  expect(isContractAccount("0x")).toBe(false);
});

test("behavior: code makes a smart-contract account, except an EIP-7702 delegation (0xef0100 + address)", () => {
  expect(isContractAccount("0x6080604052348015600e575f5ffd5b50")).toBe(true);
  expect(isContractAccount("0xef01005fbdb2315678afecb367f032d93f642f64180aa3")).toBe(false);
  expect(isContractAccount("0xEF01005FBDB2315678AFECB367F032D93F642F64180AA3")).toBe(false);
});

test("behavior: every one-signature method (ERC-3009, permit, DAI permit) signs then sends; allowance approves", () => {
  expect(stepsOf("authorization")).toEqual(["sign", "send", "confirm", "escrow"]);
  expect(stepsOf("permit")).toEqual(["sign", "send", "confirm", "escrow"]);
  expect(stepsOf("dai_permit")).toEqual(["sign", "send", "confirm", "escrow"]);
  expect(stepsOf("allowance")).toEqual(["approve", "send", "confirm", "escrow"]);
  expect(stepsOf("relayed")).toEqual(["sign", "send", "escrow"]);
  expect(stepsOf("batch")).toEqual(["send", "confirm", "escrow"]);
});

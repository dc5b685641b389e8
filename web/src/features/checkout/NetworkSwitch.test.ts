import { UserRejectedRequestError } from "viem";
import { expect, test } from "vitest";
import { isUnknownChainError } from "./NetworkSwitch.tsx";

test("default: EIP-1193 4902 (and MetaMask Mobile's wrapped 4902) is an unknown chain", () => {
  expect(isUnknownChainError({ code: 4902, message: "Unrecognized chain ID 0x539." })).toBe(true);
  expect(isUnknownChainError({ code: -32603, data: { originalError: { code: 4902 } } })).toBe(true);
  expect(isUnknownChainError(new Error("outer", { cause: { code: 4902 } }))).toBe(true);
});

test("behavior: a rejection or any other failure is not", () => {
  expect(isUnknownChainError(new UserRejectedRequestError(new Error("User rejected the request.")))).toBe(
    false,
  );
  expect(isUnknownChainError({ code: 4001, message: "User rejected the request." })).toBe(false);
  expect(isUnknownChainError(undefined)).toBe(false);
});

import { paymentEscrowAbi, testStablecoinAbi } from "@pier/contracts/abis";
import i18next from "i18next";
import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  InsufficientFundsError,
  UserRejectedRequestError,
} from "viem";
import { describe, expect, test } from "vitest";
import de from "../locales/de.json";
import en from "../locales/en.json";
import { contractErrorMessage } from "./contractErrorMessages.ts";
import { describedErrorText, describeError } from "./describeError.ts";
import { formatters } from "./localeFormat.ts";

const token = { symbol: "tUSDC", decimals: 6 };
const customer = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";

/** The error viem throws for a reverted contract call, as writeContract/simulateContract wrap it. */
function reverted(data: `0x${string}`, functionName = "pay") {
  const cause = new ContractFunctionRevertedError({ abi: paymentEscrowAbi, data, functionName });
  return new ContractFunctionExecutionError(cause, { abi: paymentEscrowAbi, functionName, args: [] });
}

describe("describeError", () => {
  test("default: an escrow custom error becomes words", () => {
    const data = encodeErrorResult({
      abi: paymentEscrowAbi,
      errorName: "AlreadyPaid",
      args: [`0x${"ab".repeat(32)}`],
    });
    const d = describeError(reverted(data));
    expect(d).toMatchObject({
      kind: "contract",
      errorName: "AlreadyPaid",
      key: "errors.contract.AlreadyPaid",
    });
    expect(d.message).toBe("This order is already paid. Nothing more was charged.");
  });

  test("behavior: a token error bubbled through the escrow is decoded with amounts", () => {
    const data = encodeErrorResult({
      abi: testStablecoinAbi,
      errorName: "ERC20InsufficientBalance",
      args: [customer, 2_500_000n, 10_000_000n],
    });
    const d = describeError(reverted(data), { token });
    expect(d).toMatchObject({
      errorName: "ERC20InsufficientBalance",
      key: "errors.contract.ERC20InsufficientBalance",
      values: { balance: { units: 2_500_000n, token }, needed: { units: 10_000_000n, token } },
    });
    expect(d.message).toBe("Your balance is 2.5 tUSDC but this payment needs 10 tUSDC.");
  });

  test("behavior: arguments are shown (deadline as a date)", () => {
    const data = encodeErrorResult({
      abi: paymentEscrowAbi,
      errorName: "DeadlinePassed",
      args: [1_700_000_000n, 1_700_000_100n],
    });
    const d = describeError(reverted(data));
    expect(d).toMatchObject({
      key: "errors.contract.DeadlinePassed",
      values: { deadline: { unixSeconds: 1_700_000_000n } },
    });
    expect(d.message).toMatch(/had to be paid before .*2023/);
  });

  test("behavior: every escrow custom error has words of its own", () => {
    // Owner-only and deploy-time errors never reach a customer.
    const adminOnly = [
      "OwnableInvalidOwner",
      "OwnableUnauthorizedAccount",
      "InvalidShortString",
      "StringTooLong",
    ];
    const names = paymentEscrowAbi.filter((item) => item.type === "error").map((item) => item.name);
    const missing = names.filter((name) => !contractErrorMessage(name, [], {}) && !adminOnly.includes(name));
    expect(missing).toEqual([]);
  });

  test("behavior: each invalid-terms error says what is wrong, with amounts", () => {
    const data = encodeErrorResult({
      abi: paymentEscrowAbi,
      errorName: "FeeAboveAmount",
      args: [12_000_000n, 10_000_000n],
    });
    const d = describeError(reverted(data), { token });
    expect(d).toMatchObject({ errorName: "FeeAboveAmount", key: "errors.contract.FeeAboveAmount" });
    expect(d.message).toBe(
      "The order's fee (12 tUSDC) is larger than its total (10 tUSDC), so it cannot be paid. Contact the merchant.",
    );
    const zero = encodeErrorResult({ abi: paymentEscrowAbi, errorName: "ZeroMerchant" });
    expect(describeError(reverted(zero))).toMatchObject({
      key: "errors.contract.ZeroMerchant",
      message: "The order names no merchant to pay, so it cannot be paid. Contact the merchant.",
    });
  });

  test("behavior: raw revert data on a JSON-RPC error object is decoded", () => {
    const data = encodeErrorResult({ abi: paymentEscrowAbi, errorName: "PaymentsPaused" });
    const rpcError = { code: 3, message: "execution reverted", data };
    expect(describeError(rpcError)).toMatchObject({
      kind: "contract",
      errorName: "PaymentsPaused",
      key: "errors.contract.PaymentsPaused",
    });
  });

  test("behavior: an Error(string) revert shows its reason", () => {
    const data = encodeErrorResult({
      abi: [{ type: "error", name: "Error", inputs: [{ type: "string", name: "reason" }] }],
      errorName: "Error",
      args: ["FiatToken: blacklisted"],
    });
    expect(describeError(reverted(data))).toMatchObject({
      key: "errors.refusedReason",
      values: { reason: "FiatToken: blacklisted" },
      message: "The contract refused the transaction: FiatToken: blacklisted.",
    });
  });

  test("behavior: wallet rejection (viem class or bare EIP-1193 object)", () => {
    expect(describeError(new UserRejectedRequestError(new Error("User rejected the request."))).kind).toBe(
      "rejected",
    );
    expect(describeError({ code: 4001, message: "denied" })).toMatchObject({
      kind: "rejected",
      key: "errors.rejected",
      message: "You declined the request in your wallet. Nothing was sent.",
    });
  });

  test("behavior: unsupported method", () => {
    expect(describeError({ code: 4200, message: "eth_signTypedData_v4 is not supported" }).kind).toBe(
      "unsupported",
    );
    expect(describeError({ code: -32601, message: "Method not found" }).kind).toBe("unsupported");
  });

  test("behavior: not enough gas money", () => {
    const error = new InsufficientFundsError({});
    expect(describeError(error)).toMatchObject({ kind: "funds", key: "errors.funds" });
  });

  test("behavior: wrong network", () => {
    expect(describeError({ code: 4901, message: "chain disconnected" })).toMatchObject({
      kind: "chain",
      key: "errors.chain",
      message: "Your wallet is on another network. Switch networks and try again.",
    });
  });

  test("error: an unknown error keeps a short first line", () => {
    const d = describeError(new Error(`boom\n${"detail ".repeat(100)}`));
    expect(d).toEqual({
      kind: "unknown",
      key: "errors.unknown",
      values: { detail: "boom" },
      message: "boom",
    });
    expect(describeError(undefined)).toEqual({
      kind: "unknown",
      key: "errors.somethingWrong",
      message: "Something went wrong.",
    });
  });

  test("behavior: shown in the page's language, amounts and dates formatted for it", async () => {
    const page = i18next.createInstance();
    await page.init({
      lng: "de",
      resources: { en: { translation: en }, de: { translation: de } },
      interpolation: { escapeValue: false },
    });
    const balance = encodeErrorResult({
      abi: testStablecoinAbi,
      errorName: "ERC20InsufficientBalance",
      args: [customer, 2_500_000n, 1_234_000_000n],
    });
    const f = formatters("de");
    expect(describedErrorText(page.t, f, describeError(reverted(balance), { token }))).toBe(
      "Ihr Guthaben beträgt 2,50 tUSDC, diese Zahlung benötigt aber 1.234,00 tUSDC.",
    );
    const deadline = encodeErrorResult({
      abi: paymentEscrowAbi,
      errorName: "DeadlinePassed",
      args: [1_700_000_000n, 1_700_000_100n],
    });
    expect(describedErrorText(page.t, f, describeError(reverted(deadline)))).toBe(
      `Diese Bestellung musste vor ${f.dateTime(1_700_000_000n)} bezahlt werden; diese Frist ist abgelaufen.`,
    );
    expect(describedErrorText(page.t, f, describeError({ code: 4001 }))).toBe(
      "Sie haben die Anfrage in Ihrer Wallet abgelehnt. Es wurde nichts gesendet.",
    );
  });
});

/**
 * Words for the custom errors the escrow (contracts/src/interfaces/IPaymentEscrow.sol) and the token
 * (OpenZeppelin ERC-20, EIP-2612, ERC-3009) can revert with, as a customer should read them: each error
 * is a message of the `errors.contract` catalogue group (src/locales/<lng>.json), with the values its
 * arguments give. Amounts and dates stay raw here: the page formats them in its language.
 */
import type { TokenLike } from "@pier/money/display";
import type { Address } from "viem";
import type en from "../locales/en.json";
import { shortHex } from "./format.ts";

export interface ErrorContext {
  token?: TokenLike;
}

/** A message value: text as it is, a token amount (units) or a moment (unix seconds), formatted when shown. */
export type ErrorValue = string | { units: bigint; token?: TokenLike } | { unixSeconds: number | bigint };
export type ErrorValues = Record<string, ErrorValue>;

export type ContractErrorKey = keyof (typeof en)["errors"]["contract"];

type Args = readonly unknown[];
type Values = (args: Args, ctx: ErrorContext) => ErrorValues;

function amount(value: unknown, ctx: ErrorContext): ErrorValue {
  return typeof value === "bigint" ? { units: value, token: ctx.token } : String(value);
}

function when(value: unknown): ErrorValue {
  return typeof value === "bigint" || typeof value === "number" ? { unixSeconds: value } : String(value);
}

const none: Values = () => ({});

/** Every message of `errors.contract` and the values it takes (the type keeps both lists the same). */
const messages = {
  // PaymentEscrow
  InvalidOperatorSignature: none,
  DeadlinePassed: ([deadline]) => ({ deadline: when(deadline) }),
  AlreadyPaid: none,
  PaymentsPaused: none,
  ZeroMerchant: none,
  ZeroToken: none,
  ZeroOperator: none,
  ZeroAmount: none,
  FeeAboveAmount: ([fee, total], ctx) => ({ fee: amount(fee, ctx), total: amount(total, ctx) }),
  EscrowPeriodTooLong: none,
  FeeAboveCap: none,
  AmountTooLarge: none,
  TokenTransferMismatch: none,
  AuthorizationNonceMismatch: none,
  UnknownPayment: none,
  Unauthorized: ([caller]) => ({ account: shortHex(String(caller as Address)) }),
  EscrowPeriodActive: ([releaseAfter]) => ({ date: when(releaseAfter) }),
  DisputeWindowClosed: ([releaseAfter]) => ({ date: when(releaseAfter) }),
  PaymentFrozen: none,
  AlreadyDisputed: none,
  HoldUnchanged: none,
  NotFrozen: none,
  InvalidAmount: ([value, remaining], ctx) => ({
    amount: amount(value, ctx),
    remaining: amount(remaining, ctx),
  }),
  ZeroAddress: none,
  FeeCapTooHigh: none,
  NothingToWithdraw: none,
  ReentrancyGuardReentrantCall: none,
  SafeERC20FailedOperation: none,
  // ERC-20
  ERC20InsufficientBalance: ([, balance, needed], ctx) => ({
    balance: amount(balance, ctx),
    needed: amount(needed, ctx),
  }),
  ERC20InsufficientAllowance: ([, allowance, needed], ctx) => ({
    allowance: amount(allowance, ctx),
    needed: amount(needed, ctx),
  }),
  ERC20InvalidSender: none,
  ERC20InvalidReceiver: none,
  ERC20InvalidApprover: none,
  ERC20InvalidSpender: none,
  // EIP-2612 permit
  ERC2612ExpiredSignature: none,
  ERC2612InvalidSigner: none,
  InvalidAccountNonce: none,
  // ERC-3009
  ERC3009InvalidAuthorizationTime: none,
  ERC3009InvalidSignature: none,
  ERC3009UsedAuthorization: none,
  // Signatures (the three ECDSA errors mean the same to a customer)
  ECDSAInvalidSignature: none,
} satisfies Record<ContractErrorKey, Values>;

const sameAs: Record<string, ContractErrorKey> = {
  ECDSAInvalidSignatureLength: "ECDSAInvalidSignature",
  ECDSAInvalidSignatureS: "ECDSAInvalidSignature",
};

/** The message for a decoded contract error, or undefined when it has no words of its own. */
export function contractErrorMessage(
  errorName: string,
  args: Args,
  ctx: ErrorContext,
): { key: `errors.contract.${ContractErrorKey}`; values: ErrorValues } | undefined {
  const name = Object.hasOwn(messages, errorName) ? (errorName as ContractErrorKey) : sameAs[errorName];
  if (!name) return undefined;
  return { key: `errors.contract.${name}`, values: messages[name](args, ctx) };
}

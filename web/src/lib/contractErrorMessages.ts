/**
 * Words for the custom errors the escrow (contracts/src/interfaces/IPaymentEscrow.sol) and the token
 * (OpenZeppelin ERC-20, EIP-2612, ERC-3009) can revert with, as a customer should read them.
 */
import { formatTokenPlain } from "@pier/money/display";
import type { Address } from "viem";
import { formatDateTime, shortHex } from "./format.ts";

export interface ErrorContext {
  token?: { symbol: string; decimals: number };
}

type Args = readonly unknown[];
type Message = (args: Args, ctx: ErrorContext) => string;

function amount(value: unknown, ctx: ErrorContext): string {
  if (typeof value !== "bigint") return String(value);
  return ctx.token ? formatTokenPlain(value, ctx.token) : value.toString();
}

function when(value: unknown): string {
  return typeof value === "bigint" || typeof value === "number" ? formatDateTime(value) : String(value);
}

export const contractErrorMessages: Record<string, Message> = {
  // PaymentEscrow
  InvalidOperatorSignature: () =>
    "The order's payment terms are not signed correctly for this escrow. Contact the merchant.",
  DeadlinePassed: ([deadline]) => `This order had to be paid before ${when(deadline)}; that time has come.`,
  AlreadyPaid: () => "This order is already paid. Nothing more was charged.",
  PaymentsPaused: () => "New payments are paused by the operator right now. Please try again later.",
  ZeroMerchant: () => "The order names no merchant to pay, so it cannot be paid. Contact the merchant.",
  ZeroToken: () => "The order names no currency to pay in, so it cannot be paid. Contact the merchant.",
  ZeroOperator: () =>
    "The order is not signed by a payment operator, so it cannot be paid. Contact the merchant.",
  ZeroAmount: () => "The order's amount is zero, so there is nothing to pay. Contact the merchant.",
  FeeAboveAmount: ([fee, total], ctx) =>
    `The order's fee (${amount(fee, ctx)}) is larger than its total (${amount(total, ctx)}), so it cannot be paid. Contact the merchant.`,
  EscrowPeriodTooLong: () =>
    "The order's buyer-protection period is longer than the escrow can hold, so it cannot be paid. Contact the merchant.",
  FeeAboveCap: () => "The order's fee is above what the platform allows. Contact the merchant.",
  AmountTooLarge: () => "The amount is larger than the escrow accepts. Contact the merchant.",
  TokenTransferMismatch: () =>
    "The token moved a different amount than requested; this token cannot be used here.",
  AuthorizationNonceMismatch: () => "The signed authorization does not belong to this order. Try again.",
  UnknownPayment: () => "The escrow has no open payment matching this order (it may be settled or refunded).",
  Unauthorized: ([caller]) => `The account ${shortHex(String(caller as Address))} is not allowed to do this.`,
  EscrowPeriodActive: ([releaseAfter]) => `The buyer-protection window runs until ${when(releaseAfter)}.`,
  DisputeWindowClosed: ([releaseAfter]) =>
    `The buyer-protection window ended on ${when(releaseAfter)}: a dispute can no longer be opened.`,
  PaymentFrozen: () => "This payment is frozen while a dispute or a review is open.",
  AlreadyDisputed: () => "A dispute is already open for this payment.",
  HoldUnchanged: () => "The review hold is already in that state.",
  NotFrozen: () => "This payment has no open dispute or hold to resolve.",
  InvalidAmount: ([value, remaining], ctx) =>
    `The amount ${amount(value, ctx)} is not possible: ${amount(remaining, ctx)} remains in escrow.`,
  ZeroAddress: () => "An address is missing.",
  FeeCapTooHigh: () => "The fee cap cannot be above 100%.",
  NothingToWithdraw: () => "There is nothing to withdraw.",
  ReentrancyGuardReentrantCall: () =>
    "The token called back into the escrow; this token cannot be used here.",
  SafeERC20FailedOperation: () => "The token transfer failed.",
  // ERC-20
  ERC20InsufficientBalance: ([, balance, needed], ctx) =>
    `Your balance is ${amount(balance, ctx)} but this payment needs ${amount(needed, ctx)}.`,
  ERC20InsufficientAllowance: ([, allowance, needed], ctx) =>
    `The escrow may spend ${amount(allowance, ctx)} of your tokens but needs ${amount(needed, ctx)}. Approve again.`,
  ERC20InvalidSender: () => "The token refused the sender address.",
  ERC20InvalidReceiver: () => "The token refused the receiving address.",
  ERC20InvalidApprover: () => "The token refused the approving address.",
  ERC20InvalidSpender: () => "The token refused the spender address.",
  // EIP-2612 permit
  ERC2612ExpiredSignature: () => "The permit signature has expired. Try again to sign a new one.",
  ERC2612InvalidSigner: () => "The permit was signed by another account than the one paying. Try again.",
  InvalidAccountNonce: () => "The permit is out of date (another permit was used meanwhile). Try again.",
  // ERC-3009
  ERC3009InvalidAuthorizationTime: () => "The payment authorization is outside its validity window.",
  ERC3009InvalidSignature: () => "The payment authorization's signature is not valid. Try again.",
  ERC3009UsedAuthorization: () => "This payment authorization was already used: the order is probably paid.",
  // Signatures
  ECDSAInvalidSignature: () => "Your wallet returned a malformed signature. Try again.",
  ECDSAInvalidSignatureLength: () => "Your wallet returned a malformed signature. Try again.",
  ECDSAInvalidSignatureS: () => "Your wallet returned a malformed signature. Try again.",
};

/**
 * Finds revert data in a viem error and names it with the escrow's custom errors and those of the tokens
 * it calls, so a failed refund reads "InvalidAmount(5000000, 0)" and a refused authorization
 * "ERC3009InvalidSignature()" rather than "execution reverted". Returns undefined when the error is not a
 * revert (RPC down, timeout): those are retried, reverts are not.
 */

import {
  daiLikeStablecoinAbi,
  paymentEscrowAbi,
  spendPermissionsAbi,
  testStablecoinAbi,
} from "@pier/contracts/abis";
import { type Abi, BaseError, decodeErrorResult, type Hex } from "viem";

const ERRORS: Abi = [
  ...paymentEscrowAbi,
  ...spendPermissionsAbi,
  ...testStablecoinAbi,
  ...daiLikeStablecoinAbi,
].filter((item) => item.type === "error");

export interface Revert {
  code: string;
  message: string;
}

export function decodeRevert(error: unknown): Revert | undefined {
  if (!(error instanceof BaseError)) return undefined;
  let data: Hex | undefined;
  let reverted = false;
  error.walk((e) => {
    const maybe = (e as { data?: unknown }).data;
    if (typeof maybe === "string" && maybe.startsWith("0x") && maybe.length >= 10) data = maybe as Hex;
    if (/revert/i.test((e as Error).message ?? "")) reverted = true;
    return false;
  });
  if (data) {
    try {
      const decoded = decodeErrorResult({ abi: ERRORS, data });
      const args = (decoded.args ?? []).map((a) => String(a)).join(", ");
      return { code: decoded.errorName, message: `${decoded.errorName}(${args})` };
    } catch {
      return { code: "reverted", message: `reverted with data ${data.slice(0, 74)}` };
    }
  }
  return reverted ? { code: "reverted", message: error.shortMessage } : undefined;
}

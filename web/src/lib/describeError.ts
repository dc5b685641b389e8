/**
 * Any error from a wallet, viem or the chain, in words for the customer: contract custom errors are
 * decoded (escrow and token ABIs, even when the revert bubbled up through another contract), wallet
 * rejections and unsupported methods are recognised by their EIP-1193 codes, and everything else gets a
 * short, non-technical line. `kind` lets the UI choose the next step (retry, fall back, switch network).
 */
import { paymentEscrowAbi, testStablecoinAbi } from "@pier/contracts/abis";
import { type Abi, decodeErrorResult, type Hex, isHex } from "viem";
import { contractErrorMessages, type ErrorContext } from "./contractErrorMessages.ts";

export type ErrorKind = "rejected" | "unsupported" | "contract" | "funds" | "chain" | "network" | "unknown";

export interface DescribedError {
  kind: ErrorKind;
  message: string;
  /** The contract error's name when one was decoded (e.g. "AlreadyPaid"). */
  errorName?: string;
}

const errorAbi = [...paymentEscrowAbi, ...testStablecoinAbi].filter((item) => item.type === "error") as Abi;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  shortMessage?: unknown;
  details?: unknown;
  data?: unknown;
  raw?: unknown;
  reason?: unknown;
  cause?: unknown;
}

/** The error and its causes, outermost first (bounded: causes can be cyclic). */
function chain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let current: unknown = error;
  while (current && typeof current === "object" && out.length < 12 && !out.includes(current as ErrorLike)) {
    out.push(current as ErrorLike);
    current = (current as ErrorLike).cause;
  }
  return out;
}

function revertData(e: ErrorLike): Hex | undefined {
  for (const candidate of [e.raw, e.data, (e.data as ErrorLike | undefined)?.data]) {
    if (typeof candidate === "string" && isHex(candidate) && candidate.length >= 10) return candidate;
  }
  return undefined;
}

function decodedName(e: ErrorLike): { errorName: string; args: readonly unknown[] } | undefined {
  const data = e.data as { errorName?: unknown; args?: unknown } | undefined;
  if (
    data &&
    typeof data.errorName === "string" &&
    data.errorName !== "Error" &&
    data.errorName !== "Panic"
  ) {
    return { errorName: data.errorName, args: (data.args as readonly unknown[] | undefined) ?? [] };
  }
  const raw = revertData(e);
  if (!raw) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: errorAbi, data: raw });
    if (decoded.errorName === "Error" || decoded.errorName === "Panic") return undefined;
    return { errorName: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
}

const text = (value: unknown) => (typeof value === "string" ? value : "");

export function describeError(error: unknown, ctx: ErrorContext = {}): DescribedError {
  const links = chain(error);
  const codes = links.map((e) => e.code);
  const all = links
    .map((e) => `${text(e.name)} ${text(e.shortMessage)} ${text(e.message)} ${text(e.details)}`)
    .join("\n");

  if (codes.includes(4001) || /user (rejected|denied)|rejected the request/i.test(all)) {
    return { kind: "rejected", message: "You declined the request in your wallet. Nothing was sent." };
  }
  if (
    codes.includes(4200) ||
    codes.includes(-32601) ||
    /method (is )?not (supported|found)|unsupported method/i.test(all)
  ) {
    return { kind: "unsupported", message: "Your wallet does not support this kind of request." };
  }
  for (const link of links) {
    const decoded = decodedName(link);
    if (decoded) {
      const words = contractErrorMessages[decoded.errorName];
      return {
        kind: "contract",
        errorName: decoded.errorName,
        message: words
          ? words(decoded.args, ctx)
          : `The contract refused the transaction (${decoded.errorName}).`,
      };
    }
  }
  const reason = links.map((e) => text(e.reason)).find(Boolean);
  if (reason) return { kind: "contract", message: `The contract refused the transaction: ${reason}.` };
  if (/insufficient funds|InsufficientFundsError|exceeds the balance of the account/i.test(all)) {
    return {
      kind: "funds",
      message: "Your wallet does not have enough of the network's coin to pay the transaction fee.",
    };
  }
  if (
    codes.includes(4901) ||
    codes.includes(4902) ||
    /chain ?mismatch|does not match the target chain|ChainDisconnected/i.test(all)
  ) {
    return { kind: "chain", message: "Your wallet is on another network. Switch networks and try again." };
  }
  if (/HttpRequestError|Failed to fetch|NetworkError|TimeoutError|took too long/i.test(all)) {
    return { kind: "network", message: "The network did not answer. Check your connection and try again." };
  }
  if (/execution reverted|ContractFunctionRevertedError/i.test(all)) {
    return { kind: "contract", message: "The contract refused the transaction." };
  }
  const first = links[0];
  const summary = text(first?.shortMessage) || text(first?.message) || "Something went wrong.";
  return { kind: "unknown", message: summary.split("\n")[0]!.slice(0, 200) };
}

/**
 * Any error from a wallet, viem or the chain, in words for the customer: contract custom errors are
 * decoded (escrow and token ABIs, even when the revert bubbled up through another contract), wallet
 * rejections and unsupported methods are recognised by their EIP-1193 codes, and everything else gets a
 * short, non-technical line. `kind` lets the UI choose the next step (retry, fall back, switch network).
 * The words are a catalogue key and values, shown in the page's language by `describedErrorText`;
 * `message` is the same sentence in English, for what is not the customer's page (timeline, logs).
 */
import { paymentEscrowAbi, testStablecoinAbi } from "@pier/contracts/abis";
import { formatTokenPlain } from "@pier/money/display";
import type { TFunction } from "i18next";
import { type Abi, decodeErrorResult, type Hex, isHex } from "viem";
import type en from "../locales/en.json";
import {
  type ContractErrorKey,
  contractErrorMessage,
  type ErrorContext,
  type ErrorValue,
  type ErrorValues,
} from "./contractErrorMessages.ts";
import { englishText } from "./englishText.ts";
import { formatDateTime } from "./format.ts";
import type { Formatters } from "./localeFormat.ts";

export type ErrorKind = "rejected" | "unsupported" | "contract" | "funds" | "chain" | "network" | "unknown";

export type ErrorMessageKey =
  | `errors.${Exclude<keyof (typeof en)["errors"], "contract">}`
  | `errors.contract.${ContractErrorKey}`;

export interface DescribedError {
  kind: ErrorKind;
  /** The customer's sentence: a catalogue key and its values (describedErrorText renders them). */
  key: ErrorMessageKey;
  values?: ErrorValues;
  /** The sentence in English. */
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

type Format = Pick<Formatters, "token" | "dateTime">;

function formatValues(values: ErrorValues | undefined, f: Format): Record<string, string> | undefined {
  if (!values) return undefined;
  const one = (v: ErrorValue): string => {
    if (typeof v === "string") return v;
    if ("units" in v) return v.token ? f.token(v.units, v.token) : v.units.toString();
    return f.dateTime(v.unixSeconds);
  };
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, one(v)]));
}

/** English values as messages and logs print them: plain amounts ("2.5 tUSDC"), the runtime's date format. */
const plain: Format = { token: formatTokenPlain, dateTime: (s) => formatDateTime(s) };

/** A described error in the page's language: `t` of the page, `f` its formatters (useFormat). */
export function describedErrorText(
  t: TFunction,
  f: Format,
  d: Pick<DescribedError, "key" | "values">,
): string {
  // The key is checked against en.json by ErrorMessageKey; i18next's typings cannot pair a union of keys
  // with their values, hence the plain signature.
  return (t as unknown as (key: string, values?: Record<string, string>) => string)(
    d.key,
    formatValues(d.values, f),
  );
}

/** A DescribedError for a catalogue message, with its English sentence. */
export function knownError(
  kind: ErrorKind,
  key: ErrorMessageKey,
  values?: ErrorValues,
  errorName?: string,
): DescribedError {
  const message = englishText(key, formatValues(values, plain));
  return { kind, key, ...(values ? { values } : {}), message, ...(errorName ? { errorName } : {}) };
}

export function describeError(error: unknown, ctx: ErrorContext = {}): DescribedError {
  const links = chain(error);
  const codes = links.map((e) => e.code);
  const all = links
    .map((e) => `${text(e.name)} ${text(e.shortMessage)} ${text(e.message)} ${text(e.details)}`)
    .join("\n");

  if (codes.includes(4001) || /user (rejected|denied)|rejected the request/i.test(all)) {
    return knownError("rejected", "errors.rejected");
  }
  if (
    codes.includes(4200) ||
    codes.includes(-32601) ||
    /method (is )?not (supported|found)|unsupported method/i.test(all)
  ) {
    return knownError("unsupported", "errors.unsupported");
  }
  for (const link of links) {
    const decoded = decodedName(link);
    if (decoded) {
      const words = contractErrorMessage(decoded.errorName, decoded.args, ctx);
      return words
        ? knownError("contract", words.key, words.values, decoded.errorName)
        : knownError("contract", "errors.refusedNamed", { name: decoded.errorName }, decoded.errorName);
    }
  }
  const reason = links.map((e) => text(e.reason)).find(Boolean);
  if (reason) return knownError("contract", "errors.refusedReason", { reason });
  if (/insufficient funds|InsufficientFundsError|exceeds the balance of the account/i.test(all)) {
    return knownError("funds", "errors.funds");
  }
  if (
    codes.includes(4901) ||
    codes.includes(4902) ||
    /chain ?mismatch|does not match the target chain|ChainDisconnected/i.test(all)
  ) {
    return knownError("chain", "errors.chain");
  }
  if (/HttpRequestError|Failed to fetch|NetworkError|TimeoutError|took too long/i.test(all)) {
    return knownError("network", "errors.network");
  }
  if (/execution reverted|ContractFunctionRevertedError/i.test(all)) {
    return knownError("contract", "errors.refused");
  }
  // Anything else is the wallet's or library's own words: shown as they are (they cannot be translated).
  const first = links[0];
  const summary = (text(first?.shortMessage) || text(first?.message)).split("\n")[0]!.slice(0, 200);
  return summary
    ? knownError("unknown", "errors.unknown", { detail: summary })
    : knownError("unknown", "errors.somethingWrong");
}

/**
 * What a node's answer to eth_sendRawTransaction means for the sender. Messages differ by client
 * (geth, Erigon, Nethermind, Hardhat/EDR, anvil); the patterns below cover their wording. An error with
 * no JSON-RPC answer behind it (connection refused, timeout, HTTP 5xx) is transient.
 */
import { BaseError } from "viem";

export type BroadcastVerdict =
  /** Taken, or the node already has exactly this transaction. */
  | { kind: "accepted" }
  /** The nonce is already used on chain: a receipt (ours or not) decides what happened. */
  | { kind: "nonce_used"; message: string }
  /** Not enough to replace what the node holds at this nonce, or below the base fee: a later bump. */
  | { kind: "underpriced"; message: string }
  /** Cannot go in now but may later (no funds for gas yet, an earlier nonce missing, pool full). */
  | { kind: "waiting"; message: string }
  /** The node could not be asked (network, timeout, overloaded): try again. */
  | { kind: "transient"; message: string }
  /** The node refuses this transaction for good (gas limit, intrinsic gas, malformed ...). */
  | { kind: "refused"; message: string };

const RULES: [RegExp, BroadcastVerdict["kind"]][] = [
  [/already known|known transaction|already imported|already in (the )?(mem)?pool|alreadyknown/i, "accepted"],
  [/nonce too low|nonce has already been used|oldnonce|nonce is too low|already been used/i, "nonce_used"],
  [
    /underpriced|fee too low|feetoolow|max fee per gas less than block base fee|too low for the next block|less than (the )?(block )?base ?fee/i,
    "underpriced",
  ],
  [
    /insufficient funds|enough funds|nonce too high|can't be queued|cannot be queued|txpool is full|pool is full|future transaction|queue full|too many (pending )?transactions|rate limit|try again/i,
    "waiting",
  ],
];

export function classifyBroadcastError(error: unknown): BroadcastVerdict {
  const message = nodeMessage(error);
  if (message === undefined) return { kind: "transient", message: shortMessage(error) };
  for (const [pattern, kind] of RULES) {
    if (pattern.test(message)) return kind === "accepted" ? { kind } : { kind, message };
  }
  return { kind: "refused", message };
}

/** The node's own words, when the error carries a JSON-RPC error answer; undefined otherwise. */
function nodeMessage(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  let found: string | undefined;
  error.walk((e) => {
    const code = (e as { code?: unknown }).code;
    // JSON-RPC error codes are negative (-32000 server error, -32602 invalid params, -32003 ...);
    // viem's HTTP errors carry an HTTP status instead.
    if (found === undefined && typeof code === "number" && code < 0) {
      found = (e as BaseError).details || (e as BaseError).shortMessage || (e as Error).message;
    }
    return false;
  });
  return found;
}

function shortMessage(error: unknown): string {
  if (error instanceof BaseError) return error.shortMessage;
  return String((error as Error)?.message ?? error);
}

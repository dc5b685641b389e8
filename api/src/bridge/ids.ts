/** Ids of the bridge's objects: a prefix and 24 base62 characters (like lib/ids.ts). */
import { randomBase62 } from "../lib/ids.ts";

const PREFIXES = { session: "fis", funding: "fif", refund: "fir", payout: "po" } as const;

export function newBridgeId(kind: keyof typeof PREFIXES): string {
  return `${PREFIXES[kind]}_${randomBase62(24)}`;
}

/**
 * Nonce bookkeeping of one signer on one chain, as pure functions of what the database and the node
 * say (nonces.test.ts). The database's `next_nonce` (chain_signer_state) is the sender's own count; the
 * node's `latest` nonce says which nonces are used on chain, its `pending` nonce which ones it holds
 * ready to mine. Nonces fit a JS number (2^53) by a wide margin.
 */

/**
 * The nonce for a new transaction: after everything we assigned (stored count, and every open intent
 * of ours), and after anything the node already holds for this key (its pending count), so a key used
 * elsewhere as well never makes us reuse a nonce.
 */
export function nextNonce(input: { stored: number; chainPending: number; highestOpen?: number }): number {
  return Math.max(
    input.stored,
    input.chainPending,
    input.highestOpen === undefined ? 0 : input.highestOpen + 1,
  );
}

/** An intent with its nonce (`n`, as a number). */
export interface InFlight {
  n: number;
}

export interface Split<T extends InFlight> {
  /** Their nonce is used on chain: by one of their attempts (a receipt says which) or by another tx. */
  used: T[];
  /** Not mined yet, lowest nonce first. */
  unmined: T[];
  /** Unmined and beyond what the node holds ready to mine: possibly dropped (ask the node). */
  maybeDropped: T[];
}

export function splitInFlight<T extends InFlight>(
  intents: T[],
  chain: { latest: number; pending: number },
): Split<T> {
  const sorted = [...intents].sort((a, b) => a.n - b.n);
  return {
    used: sorted.filter((t) => t.n < chain.latest),
    unmined: sorted.filter((t) => t.n >= chain.latest),
    maybeDropped: sorted.filter((t) => t.n >= chain.latest && t.n >= chain.pending),
  };
}

/**
 * Nonces below our next one that are not used on chain and that no open intent of ours holds: each
 * would stall every later transaction of the signer, so the sender fills it with a no-op.
 */
export function nonceGaps(input: { latest: number; next: number; held: Iterable<number> }): number[] {
  const held = new Set(input.held);
  const gaps: number[] = [];
  for (let n = input.latest; n < input.next; n++) if (!held.has(n)) gaps.push(n);
  return gaps;
}

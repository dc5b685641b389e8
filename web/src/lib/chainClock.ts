/**
 * Chain time versus the browser's clock. The escrow enforces an order's deadline and the end of buyer
 * protection in chain time (block timestamps). On a local chain moved forward (`pier time-travel`) chain
 * time runs ahead of the wall clock, so the checkout counts down against chain time, shows absolute
 * dates on the customer's clock (a chain timestamp minus the offset: when it happens for them), and says
 * so when the offset is large.
 */

/** Above this, the page tells the customer that the network's clock is ahead of theirs. */
export const CLOCK_NOTICE_SECONDS = 5 * 60;

/**
 * How far chain time is ahead of the browser's clock, in seconds: the API's `chain_time` (the latest block
 * it knows of) minus the browser's clock when that answer arrived. Never negative: an idle chain's latest
 * block is simply old, and its next block takes at least the wall-clock time.
 */
export function chainOffset(chainTime: number | null | undefined, receivedAtSeconds: number): number {
  if (chainTime === null || chainTime === undefined) return 0;
  return Math.max(0, chainTime - receivedAtSeconds);
}

/** A clock on which chain-enforced times are read, from the browser's `now` and the offset. */
export function chainClock(offset: number, now: number) {
  return {
    /** Chain time now: what the escrow will compare deadlines with. */
    chainNow: now + offset,
    /** A chain timestamp on the customer's clock (for absolute dates). */
    toLocal: (chainSeconds: number) => chainSeconds - offset,
    /** Whether to tell the customer the network's clock is ahead. */
    ahead: offset > CLOCK_NOTICE_SECONDS,
    offset,
  };
}

export type ChainClock = ReturnType<typeof chainClock>;

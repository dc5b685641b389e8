/**
 * The latest block this process knows of (number and timestamp): from the RPC (refresh, at most every
 * few seconds on the hot path) and from the indexer's progress (observe, every sync pass, no RPC call).
 * Used for confirmation depth and for chain time (which evm_increaseTime moves ahead of the wall clock
 * on a dev chain).
 */
import type { PublicClient } from "viem";

export interface Head {
  number: bigint;
  timestamp: bigint;
}

export class HeadTracker {
  #head: Head | undefined;
  #lastError: unknown;

  constructor(private readonly client: PublicClient) {}

  #refreshedAt = 0;

  async refresh(): Promise<Head> {
    try {
      const block = await this.client.getBlock({ blockTag: "latest" });
      this.#refreshedAt = Date.now();
      // The RPC is the authority: after a reorg to a lower height this lowers the head too.
      this.#head = { number: block.number, timestamp: block.timestamp };
      this.#lastError = undefined;
      return this.#head!;
    } catch (error) {
      this.#lastError = error;
      throw error;
    }
  }

  /** Refreshes from the RPC only when the last refresh is older than `maxAgeMs`. */
  async refreshIfOlder(maxAgeMs: number): Promise<Head> {
    if (this.#head && Date.now() - this.#refreshedAt < maxAgeMs) return this.#head;
    return this.refresh();
  }

  /** A block seen elsewhere (the indexer's progress): kept if it is newer. Reorgs lower it via refresh(). */
  observe(head: Head): void {
    if (!this.#head || head.number >= this.#head.number || this.#refreshedAt === Date.now())
      this.#head = head;
  }

  get current(): Head | undefined {
    return this.#head;
  }

  get lastError(): unknown {
    return this.#lastError;
  }

  /** Unix seconds: the later of the wall clock and the head block's timestamp. */
  now(): number {
    const wall = Math.floor(Date.now() / 1000);
    const chain = this.#head ? Number(this.#head.timestamp) : 0;
    return Math.max(wall, chain);
  }
}

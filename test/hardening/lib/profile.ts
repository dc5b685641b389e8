/** Counts of the hardening suites: the quick profile (./scripts/test) or the full one (--full). */
export const FULL = process.env.PIER_TEST_PROFILE === "full";

export const PROFILE = {
  /** Generated bad-input requests per run (the issue asks for at least 5,000). */
  badRequests: FULL ? 20_000 : 5_000,
  /** Requests in flight at once while fuzzing. */
  concurrency: 16,
  /** Mixed payments during the chaos run. */
  chaosPayments: FULL ? 500 : 60,
  /** Reorg depths exercised (1..n). */
  // Quick: two depths; full: 1 to 5. chainFaults.test.ts sets the confirmation depth above the deepest.
  reorgDepths: FULL ? [1, 2, 3, 4, 5] : [1, 3],
  /**
   * Networks the chain-fault and chaos suites run with: two by default (chain B, 1337, running beside the
   * chain under fault, with orders on both); PIER_HARDENING_NETWORKS=1 runs them on one network.
   */
  networks: process.env.PIER_HARDENING_NETWORKS === "1" ? 1 : 2,
};

/** The bridge's pg-boss queues (created with the others in jobs/workers.ts). */
export const FIAT_EVENT_QUEUE = "fiat-event";
export const FIAT_REFUND_QUEUE = "fiat-refund";
export const FIAT_PAYOUT_QUEUE = "fiat-payout";

/** Provider calls and chain reads may fail for a while: retry with backoff for about a day. */
export const FIAT_JOB_OPTIONS = { retryLimit: 60, retryDelay: 2, retryBackoff: true, retryDelayMax: 1800 };

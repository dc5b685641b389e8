/**
 * The sandbox wallet's failure modes, chosen per session: explicitly with `simulate`, or by a magic
 * amount, whose last two digits in minor units pick the mode (so it works for JPY too: 1091 JPY, 10.91
 * EUR, 1.091 KWD all decline).
 *
 *   decline            x91  approving fails: the wallet declines (session.declined)
 *   timeout            x92  the first capture is performed but its response never comes: the client
 *                           times out; a retry with the same Idempotency-Key gets the stored capture
 *   duplicate_webhook  x93  every webhook of the session is delivered twice (same event id)
 *   late_webhook       x94  the session's webhooks are held until released (POST
 *                           /_control/sessions/:id/release-webhooks), so they arrive after the API
 *                           has moved on
 *   capture_reversed   x95  the capture completes, then is reversed (capture.reversed follows)
 */
import { parseMinorUnits } from "@pier/money/units";

export const FAILURE_MODES = [
  "decline",
  "timeout",
  "duplicate_webhook",
  "late_webhook",
  "capture_reversed",
] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

const MAGIC: Record<string, FailureMode> = {
  "91": "decline",
  "92": "timeout",
  "93": "duplicate_webhook",
  "94": "late_webhook",
  "95": "capture_reversed",
};

export function isFailureMode(value: unknown): value is FailureMode {
  return typeof value === "string" && (FAILURE_MODES as readonly string[]).includes(value);
}

/** The mode for a session: `simulate` if given, else the amount's magic ending, else none. */
export function failureModeFor(
  amount: { value: string; currency: string },
  simulate?: string,
): FailureMode | null {
  if (isFailureMode(simulate)) return simulate;
  const minor = parseMinorUnits(amount.value, amount.currency).toString().padStart(2, "0");
  return MAGIC[minor.slice(-2)] ?? null;
}

/**
 * Calendar arithmetic of a subscription, pure (every function takes the time it works from; nothing
 * reads a clock). Times are unix seconds, calendars are UTC.
 *
 * Charge k of a subscription falls at `chargeTime(schedule, first, k)`: charge 0 at `first` (the trial's
 * end, or the authorization), then one interval apart. Months and years keep to an anchor day of the
 * month (the plan's `anchor_day`, else the first charge's day) at the first charge's time of day; a month
 * shorter than the anchor day charges on its last day, and the next month goes back to the anchor
 * (31 Jan -> 28 Feb -> 31 Mar, never drifting to the 28th). With a plan's `anchor_day`, the first
 * period is a stub up to the next anchor date (charged in full, like Stripe without proration): a month
 * plan anchored on the 1st and started on 10 Jan charges 10 Jan, 1 Feb, 1 Mar...; a year plan uses the
 * anchor day of the first charge's month.
 *
 * The spend permission's period (permissionPeriod) is a fixed number of seconds, because the contract's
 * periods are fixed-length while billing is calendar-based. It is never longer than the shortest gap
 * between two charges after the first, so every such charge lands in an on-chain period of its own and
 * the cap ("at most `allowance` per period") still means one charge per interval: a month is 28 days
 * (every calendar month has at least 28; a 30-day period would put the 1 Feb and 1 Mar charges of a
 * non-leap year in the same period and refuse the second), a year 365 days. See permissionWindow for
 * the first charge.
 */

export type Interval = "day" | "week" | "month" | "year";

export interface Schedule {
  interval: Interval;
  intervalCount: number;
  /** Day of the month charges fall on (month and year intervals only); shorter months use their last day. */
  anchorDay?: number | null;
}

const DAY = 86_400;

/** Days in `month` (0-11) of `year`, leap years included. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * `time` moved by `months` calendar months onto `anchorDay` (clamped to the target month's length), at
 * the same time of day.
 */
export function addMonths(time: number, months: number, anchorDay: number): number {
  const d = new Date(time * 1000);
  const index = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const day = Math.min(anchorDay, daysInMonth(year, month));
  const ms = Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
  return Math.floor(ms / 1000);
}

/** Months per interval for the calendar intervals. */
function monthsPer(interval: Interval): number {
  return interval === "year" ? 12 : 1;
}

/** The first anchor date strictly after `first` (same time of day): the end of the stub period. */
function nextAnchorDate(first: number, interval: Interval, anchorDay: number): number {
  // The anchor date in the first charge's month, then a month (a year) on until it is later.
  const step = monthsPer(interval);
  let t = addMonths(first, 0, anchorDay);
  while (t <= first) t = addMonths(t, step, anchorDay);
  return t;
}

/** Unix time of charge `k` (0: the first) of a subscription whose first charge is at `first`. */
export function chargeTime(schedule: Schedule, first: number, k: number): number {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`charge index must be a whole number, got ${k}`);
  const { interval, intervalCount: count } = schedule;
  if (interval === "day") return first + k * count * DAY;
  if (interval === "week") return first + k * count * 7 * DAY;
  const months = monthsPer(interval) * count;
  if (k === 0) return first;
  const anchor = schedule.anchorDay;
  if (anchor === undefined || anchor === null) {
    // Anchored on the first charge's day: always count from the first charge, so clamping never drifts.
    return addMonths(first, k * months, new Date(first * 1000).getUTCDate());
  }
  const stubEnd = nextAnchorDate(first, interval, anchor);
  return addMonths(stubEnd, (k - 1) * months, anchor);
}

/** The first charge time strictly after `time`: the end of the billing period `time` falls in. */
export function nextChargeAfter(schedule: Schedule, first: number, time: number): number {
  // No interval is longer than `longest`, so charge k is at or before first + k * longest: start from
  // that underestimate and step, a few iterations at most.
  const longest = { day: DAY, week: 7 * DAY, month: 31 * DAY, year: 366 * DAY }[schedule.interval];
  let k = Math.max(0, Math.floor((time - first) / (longest * schedule.intervalCount)));
  while (chargeTime(schedule, first, k) <= time) k++;
  return chargeTime(schedule, first, k);
}

/**
 * Length in seconds of the spend permission's on-chain period: no longer than the shortest gap between
 * two charges after the first (see the module comment). day: 86,400 x count; week: 604,800 x count;
 * month: 28 days x count; year: 365 days x count.
 */
export function permissionPeriod(schedule: Pick<Schedule, "interval" | "intervalCount">): number {
  const per = { day: DAY, week: 7 * DAY, month: 28 * DAY, year: 365 * DAY }[schedule.interval];
  return per * schedule.intervalCount;
}

/** How long a permission for a plan without a number of cycles lasts; renewing needs a new signature. */
export const OPEN_ENDED_YEARS = 5;

/**
 * The spend permission's window for a subscription whose first charge is at `first`:
 *
 * - `period`: permissionPeriod.
 * - `start`: the first charge's time, or earlier when the first period is a stub shorter than `period`
 *   (an anchor_day plan): then `start` = the second charge's time - `period`, so the first charge falls
 *   in on-chain period 0 and the second starts period 1. Either way no two charges share a period.
 * - `end` (exclusive): with `cycles`, the time the cycle after the last one would start (the last charge
 *   is before it); without, `OPEN_ENDED_YEARS` after the first charge.
 */
export function permissionWindow(
  schedule: Schedule,
  first: number,
  cycles: number | null | undefined,
): { period: number; start: number; end: number } {
  const period = permissionPeriod(schedule);
  const start = Math.min(first, chargeTime(schedule, first, 1) - period);
  const end =
    cycles === null || cycles === undefined
      ? addMonths(first, OPEN_ENDED_YEARS * 12, new Date(first * 1000).getUTCDate())
      : chargeTime(schedule, first, cycles);
  return { period, start, end };
}

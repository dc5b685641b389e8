/**
 * The subscription's terms in numbers for the page (subscriptionWords.ts says them in words): the
 * on-chain period the permission caps (the API's rule, api/docs/subscriptions.md: a day, a week, 28 days
 * per month, 365 days per year, times the interval count), and how much token allowance to give
 * SpendPermissions up front.
 */
import type { CheckoutSubscription } from "@pier/client/types";

export type Plan = CheckoutSubscription["plan"];

const DAY = 86_400;
const periodDays = { day: 1, week: 7, month: 28, year: 365 } as const;

/** Seconds per on-chain period: the longest fixed length no longer than the shortest gap between charges. */
export function periodSeconds(plan: Pick<Plan, "interval" | "interval_count">): number {
  return periodDays[plan.interval] * plan.interval_count * DAY;
}

/**
 * How many charges one ERC-20 approval covers: every cycle of a plan with `cycles`, otherwise a year's
 * worth of monthly charges (12). The permission still caps each charge; this only saves approvals.
 */
export const APPROVED_CHARGES = 12;

/** The allowance SpendPermissions gets: the plan's amount in token units, times the charges it covers. */
export function approvalAmount(amount: bigint, cycles: number | null): bigint {
  return amount * BigInt(cycles ?? APPROVED_CHARGES);
}

export type SubscriptionStatus = CheckoutSubscription["status"];

/** Authorized and not over: the customer has subscribed. */
export function isSubscribed(status: SubscriptionStatus): boolean {
  return status === "trialing" || status === "active" || status === "past_due";
}

/**
 * When the permission the customer is about to sign would end, before the API builds it (it counts from
 * its first request): `cycles` intervals after the first charge, or five years after it (the API's rule).
 * The page shows the exact date from the permission once the wallet is connected.
 */
export function estimatedEnd(plan: Plan, nowSeconds: number): number {
  const first = new Date((nowSeconds + plan.trial_days * DAY) * 1000);
  const end = new Date(first);
  if (plan.cycles === null) {
    end.setUTCFullYear(end.getUTCFullYear() + 5);
  } else {
    const n = plan.interval_count * plan.cycles;
    if (plan.interval === "day") end.setUTCDate(end.getUTCDate() + n);
    else if (plan.interval === "week") end.setUTCDate(end.getUTCDate() + 7 * n);
    else if (plan.interval === "month") end.setUTCMonth(end.getUTCMonth() + n);
    else end.setUTCFullYear(end.getUTCFullYear() + n);
  }
  return Math.floor(end.getTime() / 1000);
}

/** A monthly 10.00 USD plan for tests, with any field replaced. */
import type { Plan } from "./subscriptionTerms.ts";

export const plan = (over: Partial<Plan> = {}): Plan => ({
  amount: "10.00",
  currency: "USD",
  interval: "month",
  interval_count: 1,
  anchor_day: null,
  trial_days: 0,
  cycles: null,
  description: null,
  ...over,
});

/**
 * Plans: a merchant's recurring price, `amount` of `currency` every `interval_count` `interval`s, with an
 * optional anchor day, trial and number of cycles. The amount is stored exactly, in the currency's minor
 * units; a subscription's customer pays it in a token pegged 1:1 to the currency (chosen at checkout).
 */
import { minorUnits } from "@pier/money/currencies";
import { formatMinorUnits, parseMinorUnits } from "@pier/money/units";
import type { TokenInfo } from "../chain/chainContext.ts";
import { networksOfMode } from "../chain/networks.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { InvalidRequestError, NotFoundError } from "../errors.ts";
import type { Principal } from "../keys/apiKeys.ts";
import { newId } from "../lib/ids.ts";
import { type Page, paginate } from "../lib/paginate.ts";
import type { ListQueryT } from "../schemas/common.ts";
import type { CreatePlanBodyT } from "../schemas/plan.ts";
import type { Interval, Schedule } from "./billingCycle.ts";

export interface PlanRow {
  id: string;
  merchant_id: string;
  livemode: boolean;
  amount_minor: string;
  currency: string;
  interval: Interval;
  interval_count: number;
  anchor_day: number | null;
  trial_days: number;
  cycles: number | null;
  description: string | null;
  metadata: Record<string, string>;
  active: boolean;
  created_at: Date;
  archived_at: Date | null;
}

/** Longest interval_count per interval: three years at most, as card subscriptions allow. */
export const MAX_INTERVAL_COUNT: Record<Interval, number> = { day: 365, week: 52, month: 12, year: 3 };

/** A plan's amount as a decimal string ("9.99"). */
export const planAmount = (plan: Pick<PlanRow, "amount_minor" | "currency">) =>
  formatMinorUnits(BigInt(plan.amount_minor), plan.currency);

/**
 * Whether a plan in `currency` can be paid in `token`: pegged 1:1 to it, with at least the currency's
 * minor digits (so every amount of the currency is a whole number of token units).
 */
export const payableIn = (token: Pick<TokenInfo, "peg" | "decimals">, currency: string) =>
  token.peg === currency && token.decimals >= minorUnits(currency);

export const planSchedule = (plan: PlanRow): Schedule => ({
  interval: plan.interval,
  intervalCount: plan.interval_count,
  anchorDay: plan.anchor_day,
});

export function toPlanObject(row: PlanRow) {
  return {
    id: row.id,
    object: "plan" as const,
    livemode: row.livemode,
    active: row.active,
    amount: planAmount(row),
    currency: row.currency,
    interval: row.interval,
    interval_count: row.interval_count,
    anchor_day: row.anchor_day,
    trial_days: row.trial_days,
    cycles: row.cycles,
    description: row.description,
    metadata: row.metadata,
    created: Math.floor(row.created_at.getTime() / 1000),
  };
}

export async function createPlan(
  ctx: AppContext,
  db: Db,
  principal: Principal,
  body: CreatePlanBodyT,
): Promise<PlanRow> {
  const pegged = networksOfMode(ctx.networks, principal.livemode).some((n) =>
    n.tokens.some((t) => payableIn(t, body.currency)),
  );
  if (!pegged) {
    throw new InvalidRequestError(
      "currency_not_supported",
      `No token of this mode's networks is pegged to ${body.currency}`,
      "currency",
    );
  }
  // MoneyError (too many decimals for the currency) is a 400 naming `amount` (plugins/errorHandler.ts).
  const minor = parseMinorUnits(body.amount, body.currency, "amount");
  if (minor <= 0n)
    throw new InvalidRequestError("parameter_invalid", "The amount must be positive", "amount");
  const count = body.interval_count ?? 1;
  const max = MAX_INTERVAL_COUNT[body.interval];
  if (count > max) {
    throw new InvalidRequestError(
      "parameter_invalid",
      `interval_count is at most ${max} for a ${body.interval} interval`,
      "interval_count",
    );
  }
  if (body.anchor_day !== undefined && body.interval !== "month" && body.interval !== "year") {
    throw new InvalidRequestError(
      "parameter_invalid",
      "anchor_day is for month and year intervals",
      "anchor_day",
    );
  }
  const { rows } = await db.query<PlanRow>(
    `INSERT INTO plans (id, merchant_id, livemode, amount_minor, currency, interval, interval_count,
       anchor_day, trial_days, cycles, description, metadata)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
    [
      newId("plan"),
      principal.merchantId,
      principal.livemode,
      minor.toString(),
      body.currency,
      body.interval,
      count,
      body.anchor_day ?? null,
      body.trial_days ?? 0,
      body.cycles ?? null,
      body.description ?? null,
      JSON.stringify(body.metadata ?? {}),
    ],
  );
  return rows[0]!;
}

export async function listPlans(db: Db, principal: Principal, query: ListQueryT): Promise<Page<PlanRow>> {
  return paginate<PlanRow>(db, {
    table: "plans",
    columns: "*",
    where: ["merchant_id = $1", "livemode = $2"],
    params: [principal.merchantId, principal.livemode],
    query,
  });
}

export async function getPlan(db: Db, principal: Principal, id: string, param = "id"): Promise<PlanRow> {
  const { rows } = await db.query<PlanRow>(
    "SELECT * FROM plans WHERE id = $1 AND merchant_id = $2 AND livemode = $3",
    [id, principal.merchantId, principal.livemode],
  );
  if (!rows[0]) throw new NotFoundError("plan", id, param);
  return rows[0];
}

/**
 * No new subscriptions to an archived plan; its existing subscriptions continue. Archiving twice is a no-op
 * (`changed` false). `changed` is what the UPDATE did: of two archivings at once, the second waits on the
 * row and finds it inactive.
 */
export async function archivePlan(
  db: Db,
  principal: Principal,
  id: string,
): Promise<{ plan: PlanRow; changed: boolean }> {
  const { rows } = await db.query<PlanRow>(
    `UPDATE plans SET active = false, archived_at = coalesce(archived_at, now())
      WHERE id = $1 AND merchant_id = $2 AND livemode = $3 AND active RETURNING *`,
    [id, principal.merchantId, principal.livemode],
  );
  if (rows[0]) return { plan: rows[0], changed: true };
  // Archived already, or not this merchant's (404).
  return { plan: await getPlan(db, principal, id), changed: false };
}

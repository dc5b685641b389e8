/**
 * Reading and writing a merchant's risk settings (rules and reporting currency). Reads are cached per
 * process for a couple of seconds (ctx.caches.riskSettings): the rules are consulted on every order and payment, and a change made
 * through another API process may take that long to apply here.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/pool.ts";
import { type RiskRulesT, type RiskRulesUpdateT, withDefaults } from "./rules.ts";

export interface RiskSettings {
  rules: RiskRulesT;
  reportingCurrency: string;
}

export async function getRiskSettings(
  ctx: AppContext,
  db: Db,
  merchantId: string,
  livemode: boolean,
  { fresh = false } = {},
): Promise<RiskSettings> {
  const key = `${merchantId}:${livemode}`;
  const hit = ctx.caches.riskSettings.get(key);
  if (!fresh && hit) return hit;
  const { rows } = await db.query<{ rules: Partial<RiskRulesT>; reporting_currency: string }>(
    "SELECT rules, reporting_currency FROM risk_settings WHERE merchant_id = $1 AND livemode = $2",
    [merchantId, livemode],
  );
  const value = {
    rules: withDefaults(rows[0]?.rules),
    reportingCurrency: rows[0]?.reporting_currency ?? "USD",
  };
  ctx.caches.riskSettings.set(key, value);
  return value;
}

export async function updateRiskSettings(
  ctx: AppContext,
  db: Db,
  merchantId: string,
  livemode: boolean,
  update: { rules?: RiskRulesUpdateT; reportingCurrency?: string },
): Promise<RiskSettings> {
  const current = await getRiskSettings(ctx, db, merchantId, livemode, { fresh: true });
  const rules = { ...current.rules, ...(update.rules ?? {}) };
  const currency = update.reportingCurrency ?? current.reportingCurrency;
  await db.query(
    `INSERT INTO risk_settings (merchant_id, livemode, rules, reporting_currency) VALUES ($1, $2, $3, $4)
     ON CONFLICT (merchant_id, livemode) DO UPDATE
       SET rules = EXCLUDED.rules, reporting_currency = EXCLUDED.reporting_currency, updated_at = now()`,
    [merchantId, livemode, JSON.stringify(rules), currency],
  );
  ctx.caches.riskSettings.delete(`${merchantId}:${livemode}`);
  return { rules, reportingCurrency: currency };
}

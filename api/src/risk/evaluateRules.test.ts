/** The rules engine at its thresholds: each rule fires just past its limit and not at it. */
import { describe, expect, test } from "vitest";
import { evaluateRules, type Facts } from "./evaluateRules.ts";
import { DEFAULT_RULES, type RiskRulesT, withDefaults } from "./rules.ts";

const rules = (over: Partial<RiskRulesT>): RiskRulesT =>
  withDefaults({ ...over, blocklist: { enabled: false, action: "hold" } });
const order = (amount: bigint, more: Partial<Facts> = {}): Facts => ({ stage: "order", amount, ...more });
const payment = (more: Partial<Facts> = {}): Facts => ({
  stage: "payment",
  amount: 10n,
  payer: "0xabc",
  ...more,
});
const fired = (r: RiskRulesT, f: Facts) => evaluateRules(r, f).findings.map((x) => x.rule);

describe("evaluateRules", () => {
  test("default: nothing configured -> allow, no findings", () => {
    expect(evaluateRules(DEFAULT_RULES, order(10n ** 30n))).toEqual({ outcome: "allow", findings: [] });
    expect(evaluateRules(DEFAULT_RULES, payment({ blocked: false }))).toEqual({
      outcome: "allow",
      findings: [],
    });
  });

  test("behavior: amount_limit fires above max_amount and below min_amount, not at either", () => {
    const r = rules({
      amount_limit: { enabled: true, max_amount: "100", min_amount: "10", action: "block" },
    });
    expect(evaluateRules(r, order(100n)).outcome).toBe("allow");
    expect(evaluateRules(r, order(10n)).outcome).toBe("allow");
    const over = evaluateRules(r, order(101n));
    expect(over.outcome).toBe("block");
    expect(over.findings[0]).toMatchObject({
      rule: "amount_limit",
      evidence: { amount: "101", max_amount: "100" },
    });
    expect(evaluateRules(r, order(9n)).findings[0]?.evidence).toMatchObject({ min_amount: "10" });
    // Checked when the order is created, not again when it is paid.
    expect(evaluateRules(r, payment({ amount: 101n })).outcome).toBe("allow");
  });

  test("behavior: payer_velocity fires past max_count or max_volume, not at them", () => {
    const r = rules({
      payer_velocity: { enabled: true, window_seconds: 60, max_count: 3, max_volume: "1000", action: "hold" },
    });
    expect(evaluateRules(r, payment({ payerWindow: { count: 3, volume: 1000n } })).outcome).toBe("allow");
    expect(evaluateRules(r, payment({ payerWindow: { count: 4, volume: 40n } })).outcome).toBe("hold");
    const vol = evaluateRules(r, payment({ payerWindow: { count: 1, volume: 1001n } }));
    expect(vol.outcome).toBe("hold");
    expect(vol.findings[0]?.evidence).toMatchObject({
      volume: "1001",
      max_volume: "1000",
      window_seconds: 60,
    });
  });

  test("behavior: merchant_velocity at order creation and at payment", () => {
    const r = rules({
      merchant_velocity: { enabled: true, window_seconds: 60, max_count: 2, action: "flag" },
    });
    expect(evaluateRules(r, order(1n, { merchantWindow: { count: 2, volume: 2n } })).outcome).toBe("allow");
    expect(evaluateRules(r, order(1n, { merchantWindow: { count: 3, volume: 3n } })).outcome).toBe("flag");
    expect(evaluateRules(r, payment({ merchantWindow: { count: 3, volume: 3n } })).outcome).toBe("flag");
  });

  test("behavior: fresh_wallet fires under min_age_seconds or on nonce 0, not at the age or with history", () => {
    const r = rules({
      fresh_wallet: { enabled: true, min_age_seconds: 3600, check_nonce: true, action: "flag" },
    });
    expect(evaluateRules(r, payment({ payerAgeSeconds: 3600, payerNonce: 5 })).outcome).toBe("allow");
    expect(evaluateRules(r, payment({ payerAgeSeconds: 3599, payerNonce: 5 })).outcome).toBe("flag");
    expect(evaluateRules(r, payment({ payerAgeSeconds: 7200, payerNonce: 0 })).findings[0]?.message).toMatch(
      /never sent a transaction/,
    );
    const noNonce = rules({
      fresh_wallet: { enabled: true, min_age_seconds: 0, check_nonce: false, action: "flag" },
    });
    expect(evaluateRules(noNonce, payment({ payerAgeSeconds: 0, payerNonce: 0 })).outcome).toBe("allow");
  });

  test("behavior: blocklist holds a payment (block cannot refuse what is already on chain)", () => {
    const hold = withDefaults({});
    expect(evaluateRules(hold, payment({ blocked: false })).outcome).toBe("allow");
    expect(evaluateRules(hold, payment({ blocked: true })).outcome).toBe("hold");
    const block = withDefaults({ blocklist: { enabled: true, action: "block" } });
    expect(evaluateRules(block, payment({ blocked: true })).outcome).toBe("hold");
    expect(evaluateRules(block, { stage: "fiat_session", amount: 1n, blocked: true }).outcome).toBe("block");
    // A blocklisted fiat customer is refused even when the rule's action is hold.
    const fiat = evaluateRules(hold, {
      stage: "fiat_session",
      amount: 1n,
      blocked: true,
      blockedEntry: "10.0.0.7",
    });
    expect(fiat).toMatchObject({ outcome: "block", findings: [{ rule: "blocklist", action: "block" }] });
    expect(fiat.findings[0]?.message).toBe("10.0.0.7 is on the blocklist");
    expect(
      fired(withDefaults({ blocklist: { enabled: false, action: "block" } }), payment({ blocked: true })),
    ).toEqual([]);
  });

  test("behavior: fiat_country blocks a country outside the allowed list only", () => {
    const r = rules({ fiat_country: { enabled: true, allowed_countries: ["DE", "FR"], action: "block" } });
    const fiat = (country: string): Facts => ({ stage: "fiat_session", amount: 1n, country });
    expect(evaluateRules(r, fiat("DE")).outcome).toBe("allow");
    expect(evaluateRules(r, fiat("US"))).toMatchObject({
      outcome: "block",
      findings: [{ rule: "fiat_country", evidence: { country: "US", allowed_countries: "DE,FR" } }],
    });
    const empty = rules({ fiat_country: { enabled: true, allowed_countries: [], action: "block" } });
    expect(evaluateRules(empty, fiat("US")).outcome).toBe("allow");
  });

  test("behavior: fiat_failures blocks once max_failures are reached, not before", () => {
    const r = rules({
      fiat_failures: { enabled: true, window_seconds: 600, max_failures: 3, action: "block" },
    });
    const fiat = (n: number): Facts => ({ stage: "fiat_session", amount: 1n, recentFiatFailures: n });
    expect(evaluateRules(r, fiat(2)).outcome).toBe("allow");
    expect(evaluateRules(r, fiat(3)).outcome).toBe("block");
  });

  test("behavior: the strongest action wins and every fired rule is reported", () => {
    const r = rules({
      merchant_velocity: { enabled: true, window_seconds: 60, max_count: 0, action: "flag" },
      payer_velocity: { enabled: true, window_seconds: 60, max_count: 0, action: "hold" },
    });
    const e = evaluateRules(
      r,
      payment({ payerWindow: { count: 1, volume: 1n }, merchantWindow: { count: 1, volume: 1n } }),
    );
    expect(e.outcome).toBe("hold");
    expect(e.findings.map((f) => f.rule).sort()).toEqual(["merchant_velocity", "payer_velocity"]);
  });
});

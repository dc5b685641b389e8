/**
 * FX quotes, pure: a customer currency -> the settlement stablecoin (tUSDC, USD-pegged, 6 decimals by
 * default), with the mid rate, a spread fee in basis points, both amounts, and a locked expiry.
 *
 * Either side can be fixed:
 *   - `target`: the order needs exactly N token units (the usual case: the order is priced in tUSDC);
 *     the customer pays the smallest amount of their currency that covers N after the spread.
 *   - `source`: the customer pays exactly A of their currency; they get what it buys after the spread.
 *
 * Rounding (integer/bigint arithmetic, one rounding per amount, always against the payer, never
 * against the escrow):
 *   - the customer's amount is rounded UP to their currency's minor unit (ceil);
 *   - token amounts are rounded DOWN to the token's smallest unit (floor);
 *   - the fee is the gross token value at the mid rate (floored) minus the net delivered, so it is never
 *     below the nominal spread and absorbs the rounding surplus.
 * The `midRate` and `rate` strings are for display only (12 decimals, half-even); amounts are computed
 * from the exact rational rate.
 */

import { assertPayableCurrency, minorUnits } from "@pier/money/currencies";
import { divRound, formatRatio, type Ratio, ratio } from "@pier/money/rational";
import { formatMinorUnits, parseMinorUnits } from "@pier/money/units";
import { randomBase62 } from "../lib/ids.ts";
import { InvalidAmountError, QuoteExpiredError, StaleRateError } from "./errors.ts";
import type { CrossRate } from "./rateSource.ts";

export const BPS = 10_000n;
const DISPLAY_PLACES = 12;

export interface SettlementToken {
  symbol: string;
  decimals: number;
  /** The fiat currency it is pegged 1:1 to; rates are read against it. */
  peggedTo: string;
}

export const TUSDC: SettlementToken = { symbol: "tUSDC", decimals: 6, peggedTo: "USD" };

export interface FxQuote {
  id: string;
  /** Which amount the caller fixed. */
  fixed: "source" | "target";
  sourceCurrency: string;
  /** What the customer pays, a decimal string in the currency's minor units ("12.35", "1235" JPY). */
  sourceAmount: string;
  token: SettlementToken;
  /** Token units delivered to the escrow (net of the fee). */
  targetUnits: bigint;
  /** Token units kept as the spread fee. */
  feeUnits: bigint;
  spreadBps: number;
  /** Whole tokens per 1 unit of the source currency at mid (display). */
  midRate: string;
  /** Whole tokens per 1 unit of the source currency the customer actually gets (display). */
  rate: string;
  rateSource: string;
  rateAsOf: Date;
  createdAt: Date;
  expiresAt: Date;
  usedBy?: string;
  usedAt?: Date;
}

export interface QuoteParams {
  sourceCurrency: string;
  /** Exactly one of sourceAmount / targetUnits. */
  sourceAmount?: string;
  targetUnits?: bigint;
  /** Units of the token's peg currency per 1 unit of the source currency (crossRate(snap, C, "USD")). */
  rate: CrossRate;
  spreadBps: number;
  ttlSeconds: number;
  maxRateAgeSeconds: number;
  now: Date;
  token?: SettlementToken;
  id?: string;
}

export function newQuoteId(): string {
  return `fxq_${randomBase62(24)}`;
}

/** Computes a quote or throws a typed error (bad amount, unsupported currency, stale rate). */
export function computeQuote(p: QuoteParams): FxQuote {
  const token = p.token ?? TUSDC;
  assertPayableCurrency(p.sourceCurrency, "currency");
  if (!Number.isInteger(p.spreadBps) || p.spreadBps < 0 || p.spreadBps >= 10_000)
    throw new RangeError("spreadBps must be an integer in [0, 10000)");
  const ageSeconds = (p.now.getTime() - p.rate.asOf.getTime()) / 1000;
  if (ageSeconds > p.maxRateAgeSeconds)
    throw new StaleRateError(p.sourceCurrency, p.rate.asOf, p.maxRateAgeSeconds);
  if (p.rate.rate.num === 0n) throw new RangeError("rate must be positive");

  // Token units per 1 minor unit of the source currency, exactly: rate × 10^tokenDecimals / 10^minor.
  const perMinor: Ratio = ratio(
    p.rate.rate.num * 10n ** BigInt(token.decimals),
    p.rate.rate.den * 10n ** BigInt(minorUnits(p.sourceCurrency)),
  );
  const keep = BPS - BigInt(p.spreadBps);

  let sourceMinor: bigint;
  let net: bigint;
  if ((p.sourceAmount === undefined) === (p.targetUnits === undefined))
    throw new InvalidAmountError("Give exactly one of the source amount or the target token amount");
  if (p.sourceAmount !== undefined) {
    sourceMinor = parseMinorUnits(p.sourceAmount, p.sourceCurrency, "amount");
    if (sourceMinor === 0n) throw new InvalidAmountError("Amount must be greater than zero");
    net = divRound(sourceMinor * perMinor.num * keep, perMinor.den * BPS, "floor");
    if (net === 0n) throw new InvalidAmountError(`Amount is too small to buy any ${token.symbol}`);
  } else {
    net = p.targetUnits!;
    if (net <= 0n) throw new InvalidAmountError("Target amount must be greater than zero", "target_amount");
    sourceMinor = divRound(net * perMinor.den * BPS, perMinor.num * keep, "ceil");
  }
  const gross = divRound(sourceMinor * perMinor.num, perMinor.den, "floor");
  const sourceWhole = ratio(sourceMinor, 10n ** BigInt(minorUnits(p.sourceCurrency)));

  return {
    id: p.id ?? newQuoteId(),
    fixed: p.sourceAmount !== undefined ? "source" : "target",
    sourceCurrency: p.sourceCurrency,
    sourceAmount: formatMinorUnits(sourceMinor, p.sourceCurrency),
    token,
    targetUnits: net,
    feeUnits: gross - net,
    spreadBps: p.spreadBps,
    midRate: formatRatio(p.rate.rate, DISPLAY_PLACES, "half_even"),
    rate: formatRatio(
      ratio(net * sourceWhole.den, 10n ** BigInt(token.decimals) * sourceWhole.num),
      DISPLAY_PLACES,
      "half_even",
    ),
    rateSource: p.rate.source,
    rateAsOf: p.rate.asOf,
    createdAt: p.now,
    expiresAt: new Date(p.now.getTime() + p.ttlSeconds * 1000),
  };
}

/** Throws QuoteExpiredError once the lock has run out (the expiry instant itself is already expired). */
export function assertQuoteUsable(quote: Pick<FxQuote, "id" | "expiresAt">, now: Date): void {
  if (now.getTime() >= quote.expiresAt.getTime()) throw new QuoteExpiredError(quote.id, quote.expiresAt);
}

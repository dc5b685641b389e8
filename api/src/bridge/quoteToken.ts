/**
 * FX quotes name the token they price in by symbol, decimals and peg (fx/quote.ts SettlementToken): what
 * a price depends on. The bridge quotes each order in its own token, and payouts in the mode's default.
 */
import type { TokenInfo } from "../chain/chainContext.ts";
import type { SettlementToken } from "../fx/quote.ts";

export const settlementTokenOf = (token: TokenInfo): SettlementToken => ({
  symbol: token.symbol,
  decimals: token.decimals,
  peggedTo: token.peg,
});

/** Whether a quote priced in `quoted` may be spent on `token`. */
export const quotedIn = (quoted: SettlementToken, token: TokenInfo): boolean =>
  quoted.symbol === token.symbol && quoted.decimals === token.decimals && quoted.peggedTo === token.peg;

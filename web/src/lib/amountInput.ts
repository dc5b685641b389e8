/**
 * What someone typed into an amount field -> token units, or a sentence saying what is wrong. Exact
 * (@pier/money): a value with more decimals than the token has is refused, never rounded.
 */
import { AmountError } from "@pier/money/errors";
import { decimalToUnits } from "@pier/money/units";

export function parseAmountInput(
  text: string,
  decimals: number,
  { example = "2.50" }: { example?: string } = {},
): { units: bigint } | { error: string } {
  let units: bigint;
  try {
    units = decimalToUnits(text.trim(), decimals);
  } catch (error) {
    if (!(error instanceof AmountError)) throw error;
    if (error.reason === "precision") return { error: `At most ${decimals} decimals.` };
    return { error: `Enter an amount such as ${example}.` };
  }
  if (units <= 0n) return { error: "The amount must be more than zero." };
  return { units };
}

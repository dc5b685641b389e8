/** Durations for time travel: "3600", "90s", "15m", "2h", "7d", "1w", or sums like "7d1s". */
import { CliError } from "./context.ts";

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

export function parseDuration(text: string): number {
  const value = text.trim();
  if (/^\d+$/.test(value)) return check(Number(value), text);
  if (!/^(\d+[smhdw])+$/.test(value))
    throw new CliError(`"${text}" is not a duration: use seconds (3600) or 90s, 15m, 2h, 7d, 1w, 7d1s`, 2);
  let total = 0;
  for (const [, n, unit] of value.matchAll(/(\d+)([smhdw])/g)) total += Number(n) * UNIT[unit!]!;
  return check(total, text);
}

function check(seconds: number, text: string): number {
  if (!Number.isSafeInteger(seconds) || seconds <= 0)
    throw new CliError(`"${text}" must be a positive duration`, 2);
  return seconds;
}

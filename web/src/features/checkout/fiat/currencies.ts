/** Currencies offered in the picker, and a first guess from the browser's locale. */
export const FIAT_CURRENCIES = [
  "EUR",
  "USD",
  "GBP",
  "CHF",
  "JPY",
  "CAD",
  "AUD",
  "SEK",
  "PLN",
  "KWD",
] as const;

const BY_REGION: Record<string, string> = {
  US: "USD",
  GB: "GBP",
  CH: "CHF",
  JP: "JPY",
  CA: "CAD",
  AU: "AUD",
  SE: "SEK",
  PL: "PLN",
  KW: "KWD",
};

export function guessCurrency(language = navigator.language): string {
  const region = language.split("-")[1]?.toUpperCase() ?? "";
  return BY_REGION[region] ?? "EUR";
}

/** "12.30" EUR -> "€12.30" in the page's locale; the decimal string is formatted exactly (no float). */
export function formatFiat(amount: string, currency: string): string {
  try {
    const format = new Intl.NumberFormat(undefined, { style: "currency", currency });
    return (format.format as (value: string) => string)(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

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

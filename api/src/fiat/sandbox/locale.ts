/**
 * The sandbox wallet's customer-facing language: `?lang=` when it names a language we have (the checkout
 * passes its own, `zh` or `zh-CN` alike), else the best match for the browser's Accept-Language, else
 * English. Catalogues live in ./locales/<locale>.json, one per locale with exactly English's keys
 * (locale.test.ts checks that), each message with `{name}` placeholders.
 */
import { match } from "@formatjs/intl-localematcher";
import Negotiator from "negotiator";
import ar from "./locales/ar.json" with { type: "json" };
import de from "./locales/de.json" with { type: "json" };
import en from "./locales/en.json" with { type: "json" };
import es from "./locales/es.json" with { type: "json" };
import fr from "./locales/fr.json" with { type: "json" };
import ja from "./locales/ja.json" with { type: "json" };
import zhCN from "./locales/zh-CN.json" with { type: "json" };

export type Messages = typeof en;
export type MessageKey = keyof Messages;

export const CATALOGUES = { en, "zh-CN": zhCN, es, fr, de, ja, ar } satisfies Record<string, Messages>;
export type Locale = keyof typeof CATALOGUES;
export const LOCALES = Object.keys(CATALOGUES) as Locale[];
export const DEFAULT_LOCALE: Locale = "en";
const RIGHT_TO_LEFT = new Set<Locale>(["ar"]);

/** The locale to answer in: the `lang` parameter, else Accept-Language (by q), else English. */
export function negotiateLocale(input: { lang?: string; acceptLanguage?: string }): Locale {
  const fromHeader = new Negotiator({ headers: { "accept-language": input.acceptLanguage } }).languages();
  for (const requested of [input.lang ? [input.lang] : [], fromHeader]) {
    const tags = requested.filter(isLanguageTag);
    if (tags.length === 0) continue;
    const found = match(tags, LOCALES, "und") as Locale | "und";
    if (found !== "und") return found;
  }
  return DEFAULT_LOCALE;
}

/** Text direction of the locale's script: Arabic pages are laid out right to left. */
export const directionOf = (locale: Locale): "rtl" | "ltr" => (RIGHT_TO_LEFT.has(locale) ? "rtl" : "ltr");

/**
 * A message with its `{name}` placeholders filled. Values are inserted as given: callers pass text that
 * is already escaped for HTML (or markup they built from escaped text).
 */
export function message(locale: Locale, key: MessageKey, values: Record<string, string> = {}): string {
  return CATALOGUES[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

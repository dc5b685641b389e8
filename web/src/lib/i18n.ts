/**
 * The customer pages' languages (checkout, receipts, subscriptions, payment links): one i18next instance,
 * message catalogues in src/locales/<lng>.json (English bundled, the others loaded on demand), the
 * language negotiated from `?lang=` in the link, else the browser's languages (navigator.languages),
 * else English. The choice is written back to `?lang=` so reloads and in-app links keep it, and the
 * root element gets `lang` and `dir` (Arabic is right to left).
 */
import i18next, { type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import en from "../locales/en.json";

/** The languages with a catalogue, in the order the picker lists them. */
export const LANGUAGES = ["en", "zh-CN", "es", "fr", "de", "ja", "ar"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the picker. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: "English",
  "zh-CN": "简体中文",
  es: "Español",
  fr: "Français",
  de: "Deutsch",
  ja: "日本語",
  ar: "العربية",
};

export const LANG_PARAM = "lang";

// English is bundled (the fallback); every other catalogue is a chunk of its own.
const catalogues = import.meta.glob<{ default: Record<string, unknown> }>([
  "../locales/*.json",
  "!../locales/en.json",
]);

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** Loads a language's catalogue (once) and makes it current; the document follows (lang, dir, ?lang=). */
export async function setLanguage(lng: Language, { writeUrl = true } = {}): Promise<void> {
  if (!i18next.hasResourceBundle(lng, "translation")) {
    const load = catalogues[`../locales/${lng}.json`];
    if (load) i18next.addResourceBundle(lng, "translation", (await load()).default);
  }
  // The address first: links built while re-rendering in the new language carry it (withLanguage).
  if (writeUrl) {
    const url = new URL(window.location.href);
    url.searchParams.set(LANG_PARAM, lng);
    window.history.replaceState(window.history.state, "", url);
  }
  document.documentElement.lang = lng;
  document.documentElement.dir = i18next.dir(lng);
  await i18next.changeLanguage(lng);
}

/**
 * Starts i18next for a customer page and loads the negotiated language. `fixed` pins a language (the
 * merchant dashboard is English only, and must not turn right to left).
 */
export async function initI18n(fixed?: Language): Promise<i18n> {
  await i18next.use(initReactI18next).init({
    lng: "en",
    resources: { en: { translation: en } },
    supportedLngs: [...LANGUAGES],
    fallbackLng: "en",
    load: "currentOnly",
    // "zh", "zh-Hans", "zh-SG" fall to zh-CN, "es-MX" to es (i18next's best match on the language part).
    nonExplicitSupportedLngs: false,
    interpolation: { escapeValue: false }, // React escapes
  });
  // The link's ?lang= first, then the browser's languages in its order. i18next's own best match does
  // this; its browser detector plugin did the same for 2 kB more of the checkout's JavaScript.
  const asked = new URL(window.location.href).searchParams.get(LANG_PARAM);
  const detected =
    fixed ??
    i18next.services.languageUtils.getBestMatchFromCodes([
      ...(asked ? [asked] : []),
      ...navigator.languages,
    ]) ??
    "en";
  // Only a language the link asked for goes back into the URL: a negotiated one is the browser's business.
  await setLanguage(isLanguage(detected) ? detected : "en", { writeUrl: !fixed && asked !== null });
  return i18next;
}

declare module "i18next" {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}

/** `url` with this page's language as `?lang=`, when the customer's link or choice set one. */
export function withLanguage(url: string): string {
  const lng = new URL(window.location.href).searchParams.get(LANG_PARAM);
  if (!lng) return url;
  const out = new URL(url, window.location.href);
  out.searchParams.set(LANG_PARAM, lng);
  return out.toString();
}

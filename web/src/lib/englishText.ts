/**
 * The English catalogue as a standalone i18next instance, for text that leaves the customer's page in
 * English whatever language it shows: the order timeline the merchant reads, logs. Synchronous (the
 * catalogue is bundled), so plain functions can use it without waiting for the page's i18n.
 */
import i18next from "i18next";
import en from "../locales/en.json";

const english = i18next.createInstance();
void english.init({
  lng: "en",
  resources: { en: { translation: en } },
  initAsync: false,
  interpolation: { escapeValue: false },
});

/** A catalogue message in English; keys are checked against en.json by the callers' types. */
export function englishText(key: string, values?: Record<string, string>): string {
  return (english.t as unknown as (key: string, values?: Record<string, string>) => string)(key, values);
}

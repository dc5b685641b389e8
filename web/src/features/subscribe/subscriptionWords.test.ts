import i18next from "i18next";
import { beforeAll, expect, test } from "vitest";
import de from "../../locales/de.json";
import en from "../../locales/en.json";
import fr from "../../locales/fr.json";
import { periodSeconds } from "./subscriptionTerms.ts";
import { planWords } from "./subscriptionWords.ts";
import { plan } from "./testPlan.ts";

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({
    resources: { en: { translation: en }, de: { translation: de }, fr: { translation: fr } },
    lng: "en",
    interpolation: { escapeValue: false },
  });
});
const words = (lng: string) => planWords(i18n.getFixedT(lng), lng);

test("default: a monthly plan in words, capped per 28 days", () => {
  expect(words("en").price(plan())).toBe("10.00 USD every month");
  expect(words("en").period(periodSeconds(plan()))).toBe("28 days");
});

test("behavior: other intervals and counts", () => {
  expect(words("en").price(plan({ interval: "week", interval_count: 3, currency: "EUR" }))).toBe(
    "10.00 EUR every 3 weeks",
  );
  expect(words("en").period(periodSeconds(plan({ interval: "day" })))).toBe("day");
  expect(words("en").period(90)).toBe("90 seconds");
});

test("behavior: other languages, their separators and plural forms, every digit kept", () => {
  expect(words("de").price(plan({ amount: "1234.505", interval: "week", interval_count: 3 }))).toBe(
    "1.234,505 USD alle 3 Wochen",
  );
  expect(words("de").price(plan())).toBe("10,00 USD pro Monat");
  expect(words("fr").period(periodSeconds(plan()))).toBe("28\u00a0jours");
  expect(words("de").status("past_due")).toBe(
    "überfällig: Die letzte Abbuchung ist fehlgeschlagen und wird wiederholt",
  );
});

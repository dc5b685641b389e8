/** The sandbox wallet's catalogues and language negotiation. */
import { describe, expect, test } from "vitest";
import { CATALOGUES, directionOf, LOCALES, message, negotiateLocale } from "./locale.ts";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("catalogues", () => {
  test("default: every locale has exactly English's keys, each with the same placeholders, none empty", () => {
    const english = CATALOGUES.en;
    for (const locale of LOCALES) {
      const catalogue: Record<string, string> = CATALOGUES[locale];
      expect(Object.keys(catalogue).sort(), `${locale}: missing or extra keys`).toEqual(
        Object.keys(english).sort(),
      );
      for (const [key, text] of Object.entries(english)) {
        expect(placeholders(catalogue[key]!), `${locale}.${key}`).toEqual(placeholders(text));
        expect(catalogue[key]!.trim(), `${locale}.${key}`).not.toBe("");
      }
    }
    expect(LOCALES.sort()).toEqual(["ar", "de", "en", "es", "fr", "ja", "zh-CN"]);
  });

  test("behavior: translations are not English copies (every key of every other locale differs somewhere)", () => {
    for (const locale of LOCALES.filter((l) => l !== "en")) {
      const same = Object.entries(CATALOGUES.en).filter(
        ([key, text]) => (CATALOGUES[locale] as Record<string, string>)[key] === text,
      );
      expect(same, locale).toEqual([]);
    }
  });

  test("behavior: message fills placeholders and leaves unknown ones visible", () => {
    expect(message("en", "pay_with", { wallet: "PayPal" })).toBe("Pay with PayPal");
    expect(message("de", "pay", { amount: "5,00 €" })).toBe("5,00 € bezahlen");
    expect(message("en", "pay")).toBe("Pay {amount}");
  });
});

describe("negotiateLocale", () => {
  test("default: English without a preference; right to left only for Arabic", () => {
    expect(negotiateLocale({})).toBe("en");
    expect(negotiateLocale({ acceptLanguage: "*" })).toBe("en");
    expect(LOCALES.filter((l) => directionOf(l) === "rtl")).toEqual(["ar"]);
  });

  test("behavior: lang first (zh and zh-CN alike, regions folded), then Accept-Language by quality", () => {
    expect(negotiateLocale({ lang: "zh" })).toBe("zh-CN");
    expect(negotiateLocale({ lang: "zh-CN" })).toBe("zh-CN");
    expect(negotiateLocale({ lang: "ar-EG" })).toBe("ar");
    expect(negotiateLocale({ lang: "es", acceptLanguage: "de" })).toBe("es");
    expect(negotiateLocale({ acceptLanguage: "pt-BR, ja;q=0.5, fr;q=0.7" })).toBe("fr");
    expect(negotiateLocale({ acceptLanguage: "es-MX,es;q=0.9,en;q=0.8" })).toBe("es");
  });

  test("error: an unknown or malformed lang falls back to Accept-Language, then English", () => {
    expect(negotiateLocale({ lang: "xx" })).toBe("en");
    expect(negotiateLocale({ lang: "<script>" })).toBe("en");
    expect(negotiateLocale({ lang: "xx", acceptLanguage: "ja" })).toBe("ja");
    expect(negotiateLocale({ acceptLanguage: "tlh, ;q=x, pt" })).toBe("en");
  });
});

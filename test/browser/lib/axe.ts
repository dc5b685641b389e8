/**
 * Accessibility checks for the browser tests: axe-core (through @axe-core/playwright, a devDependency of
 * @pier/web, loaded from there like playwright-core) on the page as it is now. Fails on serious and
 * critical violations, naming each rule and the elements it found.
 */
import { createRequire } from "node:module";
import type * as AxePlaywright from "@axe-core/playwright";
import type { Page } from "playwright-core";

const fromWeb = createRequire(new URL("../../../web/package.json", import.meta.url));

/** The serious and critical violations on the page (WCAG 2.x A and AA rules, best practices). */
export async function axeViolations(page: Page): Promise<string[]> {
  const { AxeBuilder } = fromWeb("@axe-core/playwright") as typeof AxePlaywright;
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Throws when the page has a serious or critical accessibility violation. */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0) {
    throw new Error(
      `axe: ${violations.length} serious/critical violation(s) in ${state}:\n${violations.join("\n")}`,
    );
  }
}

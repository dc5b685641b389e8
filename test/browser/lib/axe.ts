/**
 * Accessibility checks with axe-core (@axe-core/playwright, a devDependency of @pier/web like
 * playwright-core, loaded from there): every rule axe runs by default (WCAG 2.x A/AA and best practices),
 * failing on serious and critical violations with each rule, its help and the offending elements.
 */
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const fromWeb = createRequire(new URL("../../../web/package.json", import.meta.url));

export async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  const { AxeBuilder } = fromWeb("@axe-core/playwright") as typeof import("@axe-core/playwright");
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length === 0) return;
  const lines = serious.flatMap((v) => [
    `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})`,
    ...v.nodes
      .slice(0, 5)
      .map((n) => `    ${n.target.join(" ")}  ${n.failureSummary?.split("\n").slice(1).join("; ")}`),
  ]);
  throw new Error(
    `${label}: ${serious.length} serious or critical accessibility violations\n${lines.join("\n")}`,
  );
}

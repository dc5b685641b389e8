/** ops/alerts.yml only names metrics the API really exports (a renamed metric would silence a page). */
import { readFile } from "node:fs/promises";
import { expect, test } from "vitest";
import { createMetrics } from "../metrics/metrics.ts";

test("default: every metric in the example alert rules is registered by the API", async () => {
  const rules = await readFile(new URL("../../../ops/alerts.yml", import.meta.url), "utf8");
  const names = new Set(rules.match(/pier_api_[a-z_]+/g));
  expect(names.size).toBeGreaterThanOrEqual(9);
  const { registry } = createMetrics();
  const missing = [...names].filter((n) => !registry.getSingleMetric(n));
  expect(missing).toEqual([]);
  for (const alert of [
    "PierRiskHoldsWaiting",
    "PierReconciliationMismatch",
    "PierTreasuryLow",
    "PierWebhookEndpointsFailing",
  ]) {
    expect(rules).toContain(`alert: ${alert}`);
  }
});

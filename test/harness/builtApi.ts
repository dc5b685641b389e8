/**
 * Vitest global setup: builds the API bundle (api/build.ts) once per test run, and the API processes the
 * harness starts (apiStack.ts) run it: ready in about half the time of `tsx src/server.ts`, which
 * compiled the API's ~300 TypeScript modules at each of the run's ~100 API starts. It is the artifact
 * production runs, built from the same source; PIER_TEST_API_SOURCE=1 runs the source instead (a stack
 * trace then names src/ lines).
 */
import { buildApi } from "../../api/lib/start.ts";

export const BUILT_API_ENV = "PIER_TEST_API_BUILT";

export default function setup(): void {
  if (process.env.PIER_TEST_API_SOURCE === "1" || process.env[BUILT_API_ENV]) return;
  buildApi();
  // Test workers are started after this and inherit the environment.
  process.env[BUILT_API_ENV] = "1";
}

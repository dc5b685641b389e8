/**
 * Production code never imports test code, harnesses or scripts. The rule lives in biome.json (an
 * override of noRestrictedImports over the production trees), so `./scripts/test`'s lint step fails the
 * build on a violation. These tests run Biome with the repository's own biome.json over planted files in
 * a scratch tree laid out like the repository, to prove the rule catches each kind of import and
 * leaves tests and harnesses alone.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";

const root = new URL("../..", import.meta.url).pathname;
const biome = join(root, "node_modules/.bin/biome");
const MESSAGE = "Production code never imports test code";
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "pier-layers-"));
  const config = JSON.parse(await readFile(join(root, "biome.json"), "utf8"));
  // The scratch tree is not a git checkout; everything else is the repository's configuration.
  config.vcs = { enabled: false };
  delete config.$schema;
  await writeFile(join(scratch, "biome.json"), JSON.stringify(config));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function lint(path: string, source: string): Promise<{ ok: boolean; output: string }> {
  const file = join(scratch, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, source);
  try {
    const { stdout, stderr } = await promisify(execFile)(biome, ["lint", "--colors=off", path], {
      cwd: scratch,
    });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    return { ok: false, output: e.stdout + e.stderr };
  } finally {
    await rm(file);
  }
}

const importing = (specifier: string) => `import { x } from "${specifier}";\n\nexport const y = x;\n`;

test.each([
  ["api/src/orders/probe.ts", "../../../test/harness/stack.ts"],
  ["api/lib/probe.ts", "../../scripts/lib/ports.ts"],
  ["cli/src/probe.ts", "../../test/harness/payments.ts"],
  ["web/src/lib/probe.ts", "../testing/fixtures.ts"],
  ["indexer/src/probe.ts", "./PaymentEscrow.test.ts"],
  ["contracts/lib/probe.ts", "../../scripts/deploy.ts"],
  ["packages/money/src/probe.ts", "../../../test/harness/apiClient.ts"],
  ["api/client/src/probe.ts", "../../../test/harness/faultProxy.ts"],
])("error: %s importing %s fails the lint step", async (path, specifier) => {
  const result = await lint(path, importing(specifier));
  expect(result.ok, result.output).toBe(false);
  expect(result.output).toContain(MESSAGE);
});

test.each([
  ["api/src/orders/probe.test.ts", "../../../test/harness/stack.ts"],
  ["test/harness/probe.ts", "../../scripts/lib/ports.ts"],
  ["scripts/benchmarks/probe.ts", "../../test/harness/apiStack.ts"],
  ["api/src/orders/probe.ts", "../money/tests.ts"],
])("behavior: %s may import %s", async (path, specifier) => {
  const result = await lint(path, importing(specifier));
  expect(result.output).not.toContain(MESSAGE);
  expect(result.ok, result.output).toBe(true);
});

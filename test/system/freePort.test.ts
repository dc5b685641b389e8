/**
 * freePort() hands each port out once across every process on the machine: the kernel can give two test
 * workers the same free port a moment apart, and the loser's readiness check then talks to the winner's
 * server (a stack once deployed its contracts to another test file's chain that way).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, expect, test } from "vitest";
import { claimPort, expireClaims, fileSystemNow, freePort } from "../../scripts/lib/ports.ts";

const root = new URL("../..", import.meta.url).pathname;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pier-port-claims-test-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Candidates in the order given, as the kernel would offer them. */
function offering(...ports: number[]): () => Promise<number> {
  let next = 0;
  return async () => {
    const port = ports[next++];
    if (port === undefined) throw new Error("no more candidates");
    return port;
  };
}

test("behavior: a port the kernel offers twice is handed out once", async () => {
  const pick = offering(50_001, 50_001, 50_002);
  expect(await freePort(pick, dir)).toBe(50_001);
  expect(await freePort(pick, dir)).toBe(50_002);
});

test("behavior: a claim made by another process counts", async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `import { claimPort } from "./scripts/lib/ports.ts"; console.log(claimPort(50010, ${JSON.stringify(dir)}));`,
    ],
    { cwd: root, timeout: 60_000 },
  );
  expect(stdout.trim()).toBe("true");
  expect(claimPort(50_010, dir)).toBe(false);
  expect(await freePort(offering(50_010, 50_011), dir)).toBe(50_011);
});

test("behavior: a claim older than ten minutes expires and its port can be handed out again", () => {
  // Dated by the file system's clock: under the suite's shifted clock, Date.now() is a year ahead of it.
  const now = fileSystemNow(dir);
  writeFileSync(join(dir, "50020"), "");
  writeFileSync(join(dir, "50021"), "");
  const elevenMinutesAgo = (now - 11 * 60_000) / 1000;
  utimesSync(join(dir, "50020"), elevenMinutesAgo, elevenMinutesAgo);
  expireClaims(dir);
  expect(existsSync(join(dir, "50020"))).toBe(false);
  expect(existsSync(join(dir, "50021"))).toBe(true);
  expect(claimPort(50_020, dir)).toBe(true);
  expect(claimPort(50_021, dir)).toBe(false);
});

test("error: when every candidate was claimed recently, it says so and where the claims are", async () => {
  expect(claimPort(50_030, dir)).toBe(true);
  const always = async () => 50_030;
  await expect(freePort(always, dir)).rejects.toThrow(
    `no free port: 100 candidates were all claimed recently (see ${dir})`,
  );
});

test("behavior: the real kernel path gives distinct, bindable ports", async () => {
  const ports = await Promise.all(Array.from({ length: 20 }, () => freePort(undefined, dir)));
  expect(new Set(ports).size).toBe(20);
  for (const port of ports) expect(claimPort(port, dir)).toBe(false);
});

/** The blocklist: parsing, and reloading a changed file without a restart. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { expect, test } from "vitest";
import { createBlocklist, parseBlocklist } from "./blocklist.ts";

const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

test("default: addresses (any case) and IPs, comments and junk ignored", () => {
  const set = parseBlocklist(`# sanctioned\n${A}  # note\n10.0.0.7\n::1\nnot-an-address\n0x1234\n\n`);
  expect([...set].sort()).toEqual(["10.0.0.7", "::1", A.toLowerCase()].sort());
});

test("behavior: a changed file is re-read; an unreadable one keeps the last good list", async () => {
  const dir = await mkdtemp(join(tmpdir(), "pier-blocklist-"));
  const file = join(dir, "list.txt");
  try {
    await writeFile(file, "# empty\n");
    const list = createBlocklist(file, 0, pino({ level: "silent" }));
    expect(await list.has(A)).toBe(false);
    await writeFile(file, `${A}\n`);
    expect(await list.has(A.toUpperCase().replace("0X", "0x"))).toBe(true);
    await rm(file);
    expect(await list.has(A)).toBe(true);
    expect(list.size()).toBe(1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

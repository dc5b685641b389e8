/**
 * The local stack's admin key: ./scripts/dev makes one per data folder (PIER_DEV_DATA_DIR, default .data/
 * of this checkout), keeps it in `admin-key` there (owner-only), and starts the API with it; `pier admin`
 * and `pier dashboard` read it when PIER_ADMIN_KEY is not set. It guards only that local, test-mode API.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

const checkoutDataDir = new URL("../../.data", import.meta.url).pathname;

export function devAdminKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.PIER_DEV_DATA_DIR || checkoutDataDir, "admin-key");
}

/** The key in devAdminKeyFile, if dev wrote one. */
export function readDevAdminKey(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = devAdminKeyFile(env);
  return existsSync(file) ? readFileSync(file, "utf8").trim() || undefined : undefined;
}

/** dev: the data folder's key, made on first use (random, 64 hex characters). */
export async function ensureDevAdminKey(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const file = devAdminKeyFile(env);
  const existing = existsSync(file) ? (await readFile(file, "utf8")).trim() : "";
  if (existing.length >= 24) return existing;
  const key = `pier_dev_admin_${randomBytes(32).toString("hex")}`;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

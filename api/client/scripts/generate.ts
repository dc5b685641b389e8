/**
 * Regenerates the client's types from the OpenAPI document the API serves: writes
 * src/generated/openapi.json (the document, as served), src/generated/schema.ts (openapi-typescript)
 * and src/generated/enums.ts (the enums needed as values: enumModule.ts).
 *
 *   pnpm --filter @pier/client generate                          boots a throwaway stack, then stops it
 *   PIER_API_URL=http://127.0.0.1:4000 pnpm --filter @pier/client generate   reads a running API instead
 *
 * src/client.test.ts fails when the served document differs from the checked-in one, so run this after
 * changing any route schema.
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort } from "../../../scripts/lib/ports.ts";
import { startStack } from "../../../test/harness/stack.ts";
import { startApi } from "../../lib/start.ts";
import { generatedFiles } from "./generatedFiles.ts";

const generated = new URL("../src/generated/", import.meta.url);

async function fetchDocument(url: string): Promise<object> {
  const res = await fetch(`${url}/openapi.json`);
  if (!res.ok) throw new Error(`GET ${url}/openapi.json: ${res.status}`);
  return (await res.json()) as object;
}

async function readDocument(): Promise<object> {
  if (process.env.PIER_API_URL) return fetchDocument(process.env.PIER_API_URL);
  const stack = await startStack();
  try {
    const api = await startApi({
      databaseUrl: stack.postgres.url,
      rpcUrl: stack.chain.rpcUrl,
      deploymentFile: stack.deploymentFile,
      indexerSchema: stack.indexer!.schema,
      port: await freePort(),
      env: { PIER_ADMIN_KEY: `admin_${randomBytes(16).toString("hex")}` },
      logFile: join(stack.dir, "api.log"),
    });
    try {
      return await fetchDocument(api.url);
    } finally {
      await api.stop();
    }
  } finally {
    await stack.stop();
  }
}

const doc = await readDocument();
await writeFile(new URL("openapi.json", generated), `${JSON.stringify(doc, null, 2)}\n`);
for (const [name, text] of Object.entries(await generatedFiles(doc)))
  await writeFile(new URL(name, generated), text);
console.log(`wrote ${new URL("openapi.json", generated).pathname}, schema.ts and enums.ts`);

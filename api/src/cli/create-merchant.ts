/**
 * Creates a merchant with its payout address and a first secret key, and prints the key once (it is
 * stored only as a hash). Applies the API's migrations first, so it works on an empty database.
 *
 *   DATABASE_URL=postgres://... pnpm --filter @pier/api create-merchant --name "My shop" --payout 0x... [--live]
 *
 * Reads DATABASE_URL and PIER_API_SCHEMA (default pier_api) from the environment.
 */
import { parseArgs } from "node:util";
import { migrate } from "../db/migrate.ts";
import { createPool } from "../db/pool.ts";
import { withTransaction } from "../db/transaction.ts";
import { ApiError } from "../errors.ts";
import { createMerchant } from "../merchants/merchants.ts";

export interface CreatedMerchant {
  merchantId: string;
  keyId: string;
  secretKey: string;
  livemode: boolean;
}

export async function createMerchantCommand(opts: {
  databaseUrl: string;
  schema?: string;
  name: string;
  payoutAddress: string;
  livemode?: boolean;
}): Promise<CreatedMerchant> {
  const schema = opts.schema ?? "pier_api";
  await migrate(opts.databaseUrl, schema);
  const pool = createPool(opts.databaseUrl, schema, 2);
  try {
    const livemode = opts.livemode ?? false;
    const created = await withTransaction(pool, (tx) =>
      createMerchant(
        tx,
        { name: opts.name, payoutAddress: opts.payoutAddress, livemode },
        { actor: { type: "admin", id: "cli" } },
      ),
    );
    return { merchantId: created.merchant.id, keyId: created.keyId, secretKey: created.secret, livemode };
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: "string" },
      payout: { type: "string" },
      live: { type: "boolean", default: false },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl || !values.name || !values.payout) {
    console.error('usage: DATABASE_URL=... create-merchant --name "My shop" --payout 0x<address> [--live]');
    process.exit(2);
  }
  try {
    const m = await createMerchantCommand({
      databaseUrl,
      schema: process.env.PIER_API_SCHEMA,
      name: values.name,
      payoutAddress: values.payout,
      livemode: values.live,
    });
    console.log(`merchant ${m.merchantId} created (${m.livemode ? "live" : "test"} mode)`);
    console.log(`secret key (shown once, store it now): ${m.secretKey}`);
  } catch (error) {
    console.error(`create-merchant: ${error instanceof ApiError ? error.message : String(error)}`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

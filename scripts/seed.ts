/**
 * Seeds a local stack with a demo merchant (payout: the dev `merchant` account) and prints a fresh test
 * secret key. Run again, it reuses the demo merchant and prints a new key (secrets are only stored
 * hashed, so an old one cannot be shown again). Used by ./scripts/dev once the API's database is up.
 *
 *   DATABASE_URL=postgres://... tsx scripts/seed.ts
 */
import { createMerchantCommand } from "../api/src/cli/create-merchant.ts";
import { migrate } from "../api/src/db/migrate.ts";
import { createPool } from "../api/src/db/pool.ts";
import { createApiKey } from "../api/src/keys/apiKeys.ts";
import { devAccount } from "../contracts/lib/accounts.ts";
import { log } from "./lib/log.ts";

export const DEMO_MERCHANT_NAME = "Demo shop";

export interface Seeded {
  merchantId: string;
  secretKey: string;
  payoutAddress: string;
}

export async function seed({
  databaseUrl,
  schema = "pier_api",
}: {
  databaseUrl: string;
  schema?: string;
}): Promise<Seeded> {
  const payoutAddress = devAccount("merchant").address;
  await migrate(databaseUrl, schema);
  const pool = createPool(databaseUrl, schema, 2);
  try {
    const { rows } = await pool.query<{ id: string }>(
      "SELECT id FROM merchants WHERE name = $1 ORDER BY created_at LIMIT 1",
      [DEMO_MERCHANT_NAME],
    );
    if (rows[0]) {
      const key = await createApiKey(pool, {
        merchantId: rows[0].id,
        livemode: false,
        name: "Demo key (seed)",
        type: "secret",
      });
      return { merchantId: rows[0].id, secretKey: key.secret, payoutAddress };
    }
  } finally {
    await pool.end();
  }
  const created = await createMerchantCommand({
    databaseUrl,
    schema,
    name: DEMO_MERCHANT_NAME,
    payoutAddress,
  });
  return { merchantId: created.merchantId, secretKey: created.secretKey, payoutAddress };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error("DATABASE_URL is required");
    process.exit(2);
  }
  const s = await seed({ databaseUrl, schema: process.env.PIER_API_SCHEMA });
  log("seed", "demo merchant ready", { merchantId: s.merchantId, payoutAddress: s.payoutAddress });
  console.log(`test secret key (shown once): ${s.secretKey}`);
}

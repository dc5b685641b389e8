/**
 * Runs the example shop on 127.0.0.1:$SHOP_PORT (default 3000).
 *   PIER_API_KEY=sk_test_... PIER_WEBHOOK_SECRET=whsec_... pnpm --filter @pier/example-shop start
 * PIER_API_URL defaults to http://127.0.0.1:4000 (./scripts/dev). PIER_WEBHOOK_SECRET: the secret
 * `pier listen` prints (or your webhook endpoint's); comma-separate two while rotating.
 */
import { Pier } from "@pier/client";
import { buildShop } from "./shop.ts";

const { PIER_API_KEY, PIER_WEBHOOK_SECRET, PIER_API_URL } = process.env;
if (!PIER_API_KEY || !PIER_WEBHOOK_SECRET) {
  console.error("set PIER_API_KEY (sk_test_...) and PIER_WEBHOOK_SECRET (printed by `pier listen`)");
  process.exit(2);
}
const shop = buildShop({
  pier: new Pier(PIER_API_KEY, { baseUrl: PIER_API_URL }),
  webhookSecret: PIER_WEBHOOK_SECRET.split(","),
  logger: true,
});
const port = Number(process.env.SHOP_PORT ?? 3000);
await shop.listen({ host: "127.0.0.1", port });
for (const signal of ["SIGINT", "SIGTERM"])
  process.once(signal, () => void shop.close().then(() => process.exit(0)));

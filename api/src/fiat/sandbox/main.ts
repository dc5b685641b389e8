/**
 * Runs the sandbox wallet simulator as its own process (the dev stack starts it next to the API):
 *
 *   PIER_SANDBOX_API_KEY=... PIER_SANDBOX_WEBHOOK_SECRET=... \
 *   PIER_SANDBOX_WEBHOOK_URL=http://127.0.0.1:4000/v1/fiat/webhooks/sandbox \
 *   tsx api/src/fiat/sandbox/main.ts
 *
 * Listens on PIER_SANDBOX_URL's host and port (default 127.0.0.1:4010). Logs one JSON line when ready
 * and stops cleanly on SIGINT/SIGTERM.
 */
import { readSandboxConfig } from "./config.ts";
import { startSandboxWallet } from "./simulator.ts";

const config = readSandboxConfig(process.env);
const url = new URL(config.baseUrl);
const wallet = await startSandboxWallet({
  apiKey: config.apiKey,
  webhookSecret: config.webhookSecret,
  webhookUrl: process.env.PIER_SANDBOX_WEBHOOK_URL || undefined,
  publicUrl: config.baseUrl,
  host: url.hostname,
  port: Number(url.port || 80),
});
console.log(
  JSON.stringify({
    time: new Date().toISOString(),
    component: "sandbox-wallet",
    msg: "ready",
    url: wallet.url,
  }),
);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, async () => {
    await wallet.close();
    console.log(
      JSON.stringify({ time: new Date().toISOString(), component: "sandbox-wallet", msg: "stopped", signal }),
    );
    process.exit(0);
  });

/**
 * pier: the developer CLI for a local Pier stack. Configuration: PIER_API_KEY, PIER_API_URL (default
 * http://127.0.0.1:4000), PIER_RPC_URL (default http://127.0.0.1:8545), or the matching options;
 * PIER_ADMIN_KEY for `pier admin` and `pier dashboard` (default: the key ./scripts/dev wrote).
 */
import { VERSION } from "@pier/client";
import { Command, CommanderError } from "commander";
import { adminCommand } from "./commands/admin.ts";
import { dashboardCommand } from "./commands/dashboard.ts";
import { listenCommand } from "./commands/listen.ts";
import { ordersCommand } from "./commands/orders.ts";
import { payCommand } from "./commands/pay.ts";
import { refundsCommand } from "./commands/refunds.ts";
import { statusCommand } from "./commands/status.ts";
import { plansCommand, subscriptionsCommand } from "./commands/subscriptions.ts";
import { timeTravelCommand } from "./commands/timeTravel.ts";
import { triggerCommand } from "./commands/trigger.ts";

// `pier orders list | head`: when the reader goes away, stop quietly as other command-line tools do,
// instead of an unhandled EPIPE with a stack trace after the part the reader wanted. A command that
// cleans up when stopped (listen deletes its endpoint) stops as on Ctrl-C; any other ends here.
let readerGone = false;
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
    if (readerGone) return;
    readerGone = true;
    if (process.listenerCount("SIGTERM") > 0) process.emit("SIGTERM", "SIGTERM");
    else process.exit(0);
  });

const program = new Command("pier")
  .description(
    "Develop against a local Pier stack (./scripts/dev): orders, subscriptions, payments, webhooks, time.",
  )
  .version(VERSION)
  .option("--json", "print JSON (one object, or one per line for listen) for scripts")
  .option("--api-key <key>", "secret key (default: $PIER_API_KEY)")
  .option("--api-url <url>", "API base URL (default: $PIER_API_URL or http://127.0.0.1:4000)")
  .option("--rpc-url <url>", "chain JSON-RPC URL (default: $PIER_RPC_URL or http://127.0.0.1:8545)")
  .showHelpAfterError("(pier --help for usage)")
  .exitOverride()
  .addHelpText(
    "after",
    `
Quick start (with ./scripts/dev running and PIER_API_KEY set to the key it printed):
  pier status
  pier listen --forward-to http://127.0.0.1:3000/webhooks     # in another terminal
  pier orders create --amount 25000000 --description Mug
  pier pay ord_... --method permit
  pier trigger order.settled
  pier dashboard                                              # a one-time sign-in link to the dashboard`,
  );

ordersCommand(program);
refundsCommand(program);
plansCommand(program);
subscriptionsCommand(program);
payCommand(program);
listenCommand(program);
triggerCommand(program);
timeTravelCommand(program);
statusCommand(program);
dashboardCommand(program);
adminCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version exit 0; usage errors (already printed by commander) exit 2.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

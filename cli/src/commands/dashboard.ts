/** pier dashboard: a one-time link into the merchant dashboard (test mode only), with the admin key. */
import type { Command } from "commander";
import { action, adminClient, emit, type Globals } from "../context.ts";

export function dashboardCommand(program: Command): void {
  program
    .command("dashboard")
    .description(
      "Print a one-time sign-in link to the merchant dashboard (test mode only; ten minutes, one use), signed in as the merchant's owner",
    )
    .option("--merchant <id>", "the merchant (mer_...; default: the oldest, the demo shop on ./scripts/dev)")
    .addHelpText(
      "after",
      "\nNeeds the admin key ($PIER_ADMIN_KEY, or the one ./scripts/dev wrote). An API that serves a live\nnetwork refuses: sign in with the owner wallet there.",
    )
    .action(
      action(async (opts: { merchant?: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const link = await adminClient(g).admin.dashboardSignInLinks.create(
          opts.merchant ? { merchant: opts.merchant } : {},
        );
        const minutes = Math.round((link.expires_at - Date.now() / 1000) / 60);
        emit(g, link, [
          `Open within ${minutes} minutes; it signs in once, as the owner of ${link.merchant}:`,
          `  ${link.url}`,
        ]);
      }),
    );
}

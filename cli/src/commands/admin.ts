/** pier admin merchants create|list, pier admin keys create: the operator routes, with the admin key. */
import { API_KEY_SCOPES, type ApiKey } from "@pier/client";
import type { Command } from "commander";
import { action, adminClient, CliError, emit, type Globals } from "../context.ts";
import { apiKeyLines, merchantLine } from "../format.ts";

function modeOption(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== "test" && value !== "live") throw new CliError(`--mode ${value}: use test or live`, 2);
  return value === "live";
}

export function adminCommand(program: Command): void {
  const admin = program
    .command("admin")
    .description("Operator commands with the admin key ($PIER_ADMIN_KEY, or the one ./scripts/dev wrote)");

  const merchants = admin.command("merchants").description("Create and list merchants");
  merchants
    .command("create")
    .description("Create a merchant and its first secret key (printed once)")
    .requiredOption("--name <name>", "the shop's name")
    .requiredOption("--payout-address <address>", "where settled funds go (0x...)")
    .option(
      "--owner-address <address>",
      "the wallet that signs in to the dashboard (default: payout address)",
    )
    .option("--mode <mode>", "test or live: the first key's mode (default: the API's first network's)")
    .addHelpText(
      "after",
      '\nExample:\n  pier admin merchants create --name "Second shop" --payout-address 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
    )
    .action(
      action(
        async (
          opts: { name: string; payoutAddress: string; ownerAddress?: string; mode?: string },
          cmd: Command,
        ) => {
          const g = cmd.optsWithGlobals<Globals>();
          const created = await adminClient(g).admin.merchants.create({
            name: opts.name,
            payout_address: opts.payoutAddress as `0x${string}`,
            owner_address: opts.ownerAddress as `0x${string}` | undefined,
            livemode: modeOption(opts.mode),
          });
          emit(g, created, [
            `${created.merchant.id}  ${created.merchant.name}  payout ${created.merchant.payout_address}`,
            `Secret key (shown once): ${created.secret_key}`,
          ]);
        },
      ),
    );
  merchants
    .command("list")
    .description("Every merchant of the instance, newest first")
    .option("--limit <n>", "at most this many", "100")
    .action(
      action(async (opts: { limit: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const max = Number(opts.limit);
        if (!Number.isInteger(max) || max < 1)
          throw new CliError(`--limit ${opts.limit}: a positive integer`, 2);
        const list = await adminClient(g)
          .admin.merchants.list({ limit: Math.min(max, 100) })
          .toArray({ max });
        emit(g, { object: "list", data: list }, list.length ? list.map(merchantLine) : "No merchants yet.");
      }),
    );

  const keys = admin.command("keys").description("API keys of any merchant");
  keys
    .command("create")
    .description("Create an API key for a merchant (secret by default; printed once)")
    .requiredOption("--merchant <id>", "the merchant (mer_...; see pier admin merchants list)")
    .option("--name <name>", "a label for the key")
    .option(
      "--restricted <scopes>",
      `a restricted key with these comma-separated scopes (${API_KEY_SCOPES.join(", ")})`,
    )
    .option("--mode <mode>", "test or live (default: the API's first network's)")
    .action(
      action(
        async (
          opts: { merchant: string; name?: string; restricted?: string; mode?: string },
          cmd: Command,
        ) => {
          const g = cmd.optsWithGlobals<Globals>();
          const scopes = opts.restricted
            ?.split(",")
            .map((s) => s.trim())
            .filter(Boolean);
          const key = await adminClient(g).admin.keys.create({
            merchant: opts.merchant,
            name: opts.name,
            ...(scopes ? { type: "restricted", scopes: scopes as ApiKey["scopes"] } : { type: "secret" }),
            livemode: modeOption(opts.mode),
          });
          emit(g, key, apiKeyLines(key));
        },
      ),
    );
}

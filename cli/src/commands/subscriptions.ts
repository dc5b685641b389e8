/** pier plans create|list and pier subscriptions create|list|get|cancel: recurring payments (issue 19). */
import type { Command } from "commander";
import { action, client, emit, type Globals } from "../context.ts";
import { invoiceLine, planLine, subscriptionDetails, subscriptionLine } from "../format.ts";

export function plansCommand(program: Command): void {
  const plans = program.command("plans").description("Recurring prices that subscriptions follow");
  plans
    .command("create")
    .description("Create a plan: --amount of --currency every --interval")
    .requiredOption("--amount <decimal>", 'price per interval in --currency, e.g. "9.99"')
    .option("--currency <code>", "ISO 4217 code a token is pegged to", "USD")
    .option("--interval <interval>", "day, week, month or year", "month")
    .option("--interval-count <n>", "intervals between charges", "1")
    .option("--trial-days <n>", "days before the first charge")
    .option("--cycles <n>", "charges in all (default: until canceled)")
    .option("--description <text>", "shown to the customer")
    .addHelpText("after", "\nExample:\n  pier plans create --amount 9.99 --interval month --trial-days 7")
    .action(
      action(async (opts: Record<string, string | undefined>, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const int = (v: string | undefined) => (v === undefined ? undefined : Number(v));
        const plan = await client(g).plans.create({
          amount: opts.amount!,
          currency: opts.currency!,
          interval: opts.interval as "day" | "week" | "month" | "year",
          interval_count: int(opts.intervalCount),
          trial_days: int(opts.trialDays),
          cycles: int(opts.cycles),
          description: opts.description,
        });
        emit(g, plan, planLine(plan));
      }),
    );
  plans
    .command("list")
    .description("List plans, newest first")
    .option("--limit <n>", "how many", "10")
    .action(
      action(async (opts: { limit: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const page = await client(g).plans.list({ limit: Number(opts.limit) });
        emit(g, page, page.data.map(planLine));
      }),
    );
}

export function subscriptionsCommand(program: Command): void {
  const subs = program
    .command("subscriptions")
    .description("Customers' subscriptions to plans: create, list, inspect with invoices, cancel")
    .addHelpText(
      "after",
      `
Charges follow chain time: \`pier time-travel 31d\` makes the next monthly cycle due, and the API charges
it (invoice.paid, or invoice.payment_failed and a retry a day later).

Example:
  pier subscriptions create --plan plan_...        # prints the page where the customer subscribes
  pier subscriptions get sub_...                   # status, next charge, invoices
  pier time-travel 31d && pier subscriptions get sub_...`,
    );
  subs
    .command("create")
    .description("Create a subscription to a plan; the customer authorizes it at the printed url")
    .requiredOption("--plan <id>", "plan id (plan_...)")
    .option("--customer <ref>", "your reference for the customer")
    .action(
      action(async (opts: { plan: string; customer?: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const sub = await client(g).subscriptions.create({ plan: opts.plan, customer: opts.customer });
        emit(g, sub, [subscriptionLine(sub), `  authorize  ${sub.url}`]);
      }),
    );
  subs
    .command("list")
    .description("List subscriptions, newest first")
    .option("--status <status>", "incomplete, trialing, active, past_due, canceled or ended")
    .option("--plan <id>", "only this plan's")
    .option("--limit <n>", "how many", "10")
    .action(
      action(async (opts: { status?: string; plan?: string; limit: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const page = await client(g).subscriptions.list({
          status: opts.status as never,
          plan: opts.plan,
          limit: Number(opts.limit),
        });
        emit(g, page, page.data.map(subscriptionLine));
      }),
    );
  subs
    .command("get")
    .description("A subscription with its invoices")
    .argument("<id>", "subscription id (sub_...)")
    .action(
      action(async (id: string, _opts: unknown, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const pier = client(g);
        const [sub, invoices] = await Promise.all([
          pier.subscriptions.retrieve(id),
          pier.subscriptions.invoices(id),
        ]);
        emit(g, { ...sub, invoices: invoices.data }, [
          ...subscriptionDetails(sub),
          ...invoices.data.map((i) => `  ${invoiceLine(i)}`),
        ]);
      }),
    );
  subs
    .command("cancel")
    .description("Cancel now, or at the end of the current period")
    .argument("<id>", "subscription id (sub_...)")
    .option("--at-period-end", "keep it until the period ends; no further charge")
    .action(
      action(async (id: string, opts: { atPeriodEnd?: boolean }, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const sub = await client(g).subscriptions.cancel(id, { at_period_end: opts.atPeriodEnd === true });
        emit(g, sub, subscriptionLine(sub));
      }),
    );
}

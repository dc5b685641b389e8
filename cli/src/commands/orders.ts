/** pier orders create|get|list */
import type { CreateOrderParams, ListOrdersParams, Order, OrderStatus } from "@pier/client";
import { type Command, Option } from "commander";
import { action, CliError, client, emit, type Globals, networkChainId, rpcUrl } from "../context.ts";
import { orderDetails, orderLine } from "../format.ts";

const STATUSES = ["open", "processing", "escrowed", "settled", "expired", "disputed", "refunded", "canceled"];

export function ordersCommand(program: Command): void {
  const orders = program.command("orders").description("Create, retrieve and list orders");

  orders
    .command("create")
    .description("Create an order and print its checkout URL")
    .option("--amount <units>", "amount in token units (25000000 = 25 tUSDC)")
    .option("--fiat-amount <decimal>", 'fiat amount, e.g. "12.50" (with --fiat-currency)')
    .option("--fiat-currency <code>", "ISO 4217 code, e.g. EUR")
    .option("--description <text>", "shown on the checkout page")
    .option("-m, --metadata <key=value...>", "metadata pairs of your own")
    .option("--expires-in <seconds>", "time to pay, in seconds from now")
    .option("--escrow-period <seconds>", "buyer-protection window in seconds")
    .option("--success-url <url>", "where the checkout sends the customer after paying")
    .option(
      "--network <network>",
      "chain id (31337, 1337) or name (Local A, Local B); default: the API's first",
    )
    .option("--idempotency-key <key>", "replays the first response for the same key and body")
    .addHelpText("after", "\nExample:\n  pier orders create --amount 25000000 --description Mug -m sku=mug")
    .action(
      action(async (opts: Record<string, string | string[] | undefined>, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        if (!opts.amount && !opts.fiatAmount)
          throw new CliError("give --amount (token units) or --fiat-amount with --fiat-currency", 2);
        const params: CreateOrderParams = {
          amount: opts.amount as string | undefined,
          fiat_amount: opts.fiatAmount as string | undefined,
          fiat_currency: opts.fiatCurrency as string | undefined,
          description: opts.description as string | undefined,
          metadata: opts.metadata ? pairs(opts.metadata as string[]) : undefined,
          escrow_period: opts.escrowPeriod
            ? integer(opts.escrowPeriod as string, "--escrow-period")
            : undefined,
          success_url: opts.successUrl as string | undefined,
        };
        // POST /v1/orders takes `network` (a chain id) when the API serves several networks.
        if (opts.network)
          (params as CreateOrderParams & { network?: number }).network = networkChainId(
            opts.network as string,
          );
        if (opts.expiresIn) {
          // Deadlines are chain time, and a local chain may have travelled ahead of the wall clock.
          const { chainTime, rpcUrlForChain } = await import("../chain.ts");
          const network = (params as { network?: number }).network;
          const url = network === undefined ? rpcUrl(g) : await rpcUrlForChain(g, network).catch(() => "");
          const now = await chainTime(url).catch(() => Math.floor(Date.now() / 1000));
          params.expires_at = now + integer(opts.expiresIn as string, "--expires-in");
        }
        const order = await client(g).orders.create(params, {
          idempotencyKey: opts.idempotencyKey as string,
        });
        emit(g, order, orderDetails(order));
      }),
    );

  orders
    .command("get")
    .description("Retrieve an order")
    .argument("<order>", "order id (ord_...)")
    .action(
      action(async (id: string, _opts: unknown, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const order = await client(g).orders.retrieve(id);
        emit(g, order, orderDetails(order));
      }),
    );

  orders
    .command("list")
    .description("List orders, newest first")
    .option("--limit <n>", "how many (1-100; with --all, the page size)", "10")
    .addOption(new Option("--status <status>", "only orders in this status").choices(STATUSES))
    .option("-m, --metadata <key=value...>", "only orders whose metadata has every pair")
    .option("--starting-after <order>", "cursor: orders older than this one")
    .option("--all", "every matching order, across pages")
    .action(
      action(async (opts: Record<string, string | string[] | boolean | undefined>, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const params: ListOrdersParams = {
          limit: integer(opts.limit as string, "--limit"),
          status: opts.status as OrderStatus | undefined,
          metadata: opts.metadata ? pairs(opts.metadata as string[]) : undefined,
          starting_after: opts.startingAfter as string | undefined,
        };
        const list = client(g).orders.list(params);
        let data: Order[];
        let hasMore = false;
        if (opts.all) data = await list.toArray();
        else {
          const page = await list;
          data = page.data;
          hasMore = page.has_more;
        }
        emit(
          g,
          { object: "list", data, has_more: hasMore },
          data.length
            ? [...data.map(orderLine), ...(hasMore ? ["(more: --all, or --starting-after the last id)"] : [])]
            : "no orders",
        );
      }),
    );
}

export function pairs(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new CliError(`metadata must be key=value, got "${item}"`, 2);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export function integer(value: string, name: string): number {
  if (!/^\d+$/.test(value)) throw new CliError(`${name} must be a whole number, got "${value}"`, 2);
  return Number(value);
}

/**
 * pier trigger <event>: performs the real actions that produce an event (an order, a payment on the
 * local chain, a refund, time travel ...) and waits until the API has stored that event, so it reaches
 * every webhook endpoint (and `pier listen`) like the real thing.
 */
import type { Event, Order, Pier } from "@pier/client";
import type { DevRole } from "@pier/contracts/accounts";
import { type Command, Option } from "commander";
import { action, CliError, client, emit, type Globals, rpcUrl } from "../context.ts";
import { PAY_METHODS, type PayMethod } from "../payOptions.ts";
import { waitUntil } from "../wait.ts";

type Step = (msg: string) => void;
type Chain = typeof import("../chain.ts");
interface Run {
  chain: Chain;
  pier: Pier;
  rpc: string;
  amount: string;
  method: PayMethod;
  payer: DevRole;
  timeout: number;
  step: Step;
  event: string;
}

const FLOWS: Record<string, { about: string; run: (r: Run) => Promise<Order> }> = {
  "order.canceled": {
    about: "create an order, cancel it",
    run: async (r) => {
      const order = await create(r);
      await r.pier.orders.cancel(order.id);
      r.step(`canceled ${order.id}`);
      return order;
    },
  },
  "order.processing": {
    about: "create and pay an order (seen when the API waits for more than one confirmation)",
    run: async (r) => pay(r, await create(r)),
  },
  "order.escrowed": { about: "create and pay an order", run: async (r) => escrowed(r) },
  "order.settled": {
    about: "create and pay an order, time-travel past its escrow period, wait for the keeper",
    run: async (r) => {
      const order = await escrowed(r);
      const block = await r.chain.timeTravel(r.rpc, order.escrow_period + 1);
      r.step(`time-travelled ${order.escrow_period + 1} s (block ${block.number}); waiting for the keeper`);
      return order;
    },
  },
  "order.refunded": { about: "create and pay an order, refund all of it", run: (r) => refunded(r, false) },
  "refund.succeeded": { about: "create and pay an order, refund all of it", run: (r) => refunded(r, false) },
  "order.partially_refunded": {
    about: "create and pay an order, refund half",
    run: (r) => refunded(r, true),
  },
  "order.disputed": {
    about: "create and pay an order, the payer opens a dispute on chain",
    run: async (r) => {
      const order = await escrowed(r);
      const checkout = await r.pier.checkout.retrieve(order.id);
      const sent = await r.chain.disputeCheckout(r.rpc, checkout, r.payer);
      r.step(`${r.payer} disputed ${order.id} in tx ${sent.hash}`);
      return order;
    },
  },
  "order.expired": {
    about: "create an order, time-travel past its deadline unpaid",
    run: async (r) => {
      const order = await create(r);
      const seconds = Math.max(1, order.expires_at - (await r.chain.chainTime(r.rpc)) + 1);
      await r.chain.timeTravel(r.rpc, seconds);
      r.step(`time-travelled ${seconds} s past the deadline`);
      return order;
    },
  },
};

export function triggerCommand(program: Command): void {
  program
    .command("trigger")
    .description("Produce an event with real actions on the local stack (not a fake payload)")
    .argument("<event>", `one of: ${Object.keys(FLOWS).join(", ")}`)
    .option("--amount <units>", "order amount in token units", "10000000")
    .addOption(
      new Option("--method <method>", "how the dev customer pays").choices(PAY_METHODS).default("permit"),
    )
    .option("--timeout <seconds>", "how long to wait for the event", "120")
    .addHelpText(
      "after",
      `\nEvents and what produces them:\n${Object.entries(FLOWS)
        .map(([e, f]) => `  ${e.padEnd(26)} ${f.about}`)
        .join("\n")}\n\nExample:\n  pier trigger order.settled`,
    )
    .action(
      action(
        async (event: string, opts: { amount: string; method: PayMethod; timeout: string }, cmd: Command) => {
          const g = cmd.optsWithGlobals<Globals>();
          const flow = FLOWS[event];
          if (!flow)
            throw new CliError(`cannot trigger "${event}"; one of: ${Object.keys(FLOWS).join(", ")}`, 2);
          const steps: string[] = [];
          const run: Run = {
            chain: await import("../chain.ts"),
            pier: client(g),
            rpc: rpcUrl(g),
            amount: opts.amount,
            method: opts.method,
            payer: "customer",
            timeout: Number(opts.timeout),
            event,
            step: (msg) => {
              steps.push(msg);
              if (!g.json) console.log(msg);
            },
          };
          const order = await flow.run(run);
          const found = await waitForEvent(run, order.id, event);
          emit(g, { event: found, order: order.id, steps }, `${event} ${found.id} stored for ${order.id}`);
        },
      ),
    );
}

async function create(r: Run): Promise<Order> {
  const order = await r.pier.orders.create({
    amount: r.amount,
    description: `pier trigger ${r.event}`,
    metadata: { pier_trigger: r.event },
  });
  r.step(`created ${order.id}`);
  return order;
}

async function pay(r: Run, order: Order): Promise<Order> {
  const checkout = await r.pier.checkout.retrieve(order.id);
  const paid = await r.chain.payCheckout(r.rpc, checkout, r.method, r.payer);
  r.step(`paid ${order.id} with ${r.method} in tx ${paid.hash}`);
  return order;
}

async function escrowed(r: Run): Promise<Order> {
  const order = await pay(r, await create(r));
  await waitForEvent(r, order.id, "order.escrowed");
  r.step(`${order.id} is escrowed`);
  return r.pier.orders.retrieve(order.id);
}

async function refunded(r: Run, partial: boolean): Promise<Order> {
  const order = await escrowed(r);
  const amount = partial ? (BigInt(order.amount) / 2n).toString() : undefined;
  const refund = await r.pier.refunds.create({ order: order.id, amount, reason: `pier trigger ${r.event}` });
  r.step(`refund ${refund.id} of ${amount ?? order.amount} requested`);
  return order;
}

function waitForEvent(r: Run, orderId: string, type: string): Promise<Event> {
  return waitUntil(`${type} for ${orderId}`, r.timeout, async () => {
    const page = await r.pier.events.list({ order: orderId, type, limit: 1 });
    return page.data[0];
  });
}

/** pier pay <order>: pays an order from a dev account on the local chain. */

import { formatTokenPlain } from "@pier/money/display";
import { type Command, Option } from "commander";
import { action, CliError, client, emit, type Globals, rpcUrl } from "../context.ts";
import { PAY_METHODS, PAYER_ACCOUNTS, type PayerAccount, type PayMethod } from "../payOptions.ts";
import { waitUntil } from "../wait.ts";

export function payCommand(program: Command): void {
  program
    .command("pay")
    .description("Pay an order from a dev account on the local chain, as the hosted checkout would")
    .argument("<order>", "order id (ord_...)")
    .addOption(new Option("--method <method>", "how to pay").choices(PAY_METHODS).default("permit"))
    .addOption(
      new Option("--account <role>", "the paying dev account (funded by ./scripts/dev)")
        .choices(PAYER_ACCOUNTS)
        .default("customer"),
    )
    .addOption(
      new Option("--wait <status>", "wait until the order shows this status")
        .choices(["none", "processing", "escrowed"])
        .default("escrowed"),
    )
    .option("--timeout <seconds>", "how long to wait", "60")
    .addHelpText(
      "after",
      `
Methods: allowance (approve, then pay), permit (EIP-2612 signature + one transaction),
authorization (ERC-3009 receiveWithAuthorization, relayed by the dev keeper account).
The order's signed terms come from its public checkout data: no API key needed.

Example:
  pier pay ord_... --method authorization`,
    )
    .action(
      action(
        async (
          id: string,
          opts: { method: PayMethod; account: PayerAccount; wait: string; timeout: string },
          cmd: Command,
        ) => {
          const g = cmd.optsWithGlobals<Globals>();
          const pier = client(g, { keyless: true });
          const checkout = await pier.checkout.retrieve(id);
          // Only an open order takes a payment: a canceled one would be refunded, a paid one refused on chain.
          if (checkout.status !== "open")
            throw new CliError(
              checkout.status === "canceled"
                ? `${id} was canceled by the merchant: it cannot be paid`
                : `${id} is ${checkout.status}: only an open order can be paid`,
            );
          const { payCheckout } = await import("../chain.ts");
          const paid = await payCheckout(rpcUrl(g), checkout, opts.method, opts.account);
          let status: string = checkout.status;
          if (opts.wait !== "none") {
            const wanted = opts.wait === "processing" ? ["processing", "escrowed"] : ["escrowed"];
            status = await waitUntil(`${id} to be ${opts.wait}`, Number(opts.timeout), async () => {
              const s = (await pier.checkout.retrieve(id)).status;
              return wanted.includes(s) && s;
            });
          }
          const result = {
            order: id,
            method: opts.method,
            payer: paid.escrowed.args.payer,
            amount: checkout.amount,
            tx_hash: paid.hash,
            block_number: Number(paid.receipt.blockNumber),
            payment_id: paid.paymentId,
            status,
          };
          emit(g, result, [
            `paid ${id}: ${formatTokenPlain(checkout.amount, checkout.token)} by ${opts.account} (${result.payer}) with ${opts.method}`,
            `  tx ${paid.hash} in block ${result.block_number}`,
            `  order status: ${status}`,
          ]);
        },
      ),
    );
}

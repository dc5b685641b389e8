/** pier pay <order>: pays an order from a dev account on the local chain. */

import { formatTokenPlain } from "@pier/money/display";
import { type Command, Option } from "commander";
import { action, CliError, client, emit, type Globals, networkChainId } from "../context.ts";
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
    .option(
      "--network <network>",
      "the order's network, as a chain id (31337, 1337) or a name (Local A, Local B); default: the order's own",
    )
    .option("--timeout <seconds>", "how long to wait", "60")
    .addHelpText(
      "after",
      `
Methods: allowance (approve, then pay), permit (EIP-2612 signature + one transaction),
authorization (ERC-3009 receiveWithAuthorization, relayed by the dev keeper account).
The order's signed terms come from its public checkout data: no API key needed.
The payment goes to the order's own chain (its chain_id), through PIER_RPC_URL_<chainId>, else
--rpc-url/PIER_RPC_URL when it serves that chain, else the dev stack's node (31337 on 8545, 1337 on 8546).
--network names the chain you mean to pay on: an order on another chain is refused, nothing is sent.

Example:
  pier pay ord_... --method authorization
  pier pay ord_... --network 1337`,
    )
    .action(
      action(
        async (
          id: string,
          opts: { method: PayMethod; account: PayerAccount; wait: string; timeout: string; network?: string },
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
          // The checkout carries the order's network ({ chain_id, name }) when the API serves several.
          const network = (checkout as { network?: { chain_id: number; name: string } }).network;
          const networkLabel = `${checkout.chain_id}${network?.name ? ` (${network.name})` : ""}`;
          if (opts.network !== undefined) {
            const wanted = networkChainId(
              opts.network,
              network ? [{ chainId: network.chain_id, name: network.name }] : [],
            );
            if (wanted !== checkout.chain_id)
              throw new CliError(
                `${id} is on network ${networkLabel}, not ${opts.network}: nothing was sent`,
              );
          }
          const { payCheckout, rpcUrlForChain } = await import("../chain.ts");
          const url = await rpcUrlForChain(g, checkout.chain_id);
          const paid = await payCheckout(url, checkout, opts.method, opts.account);
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
            chain_id: checkout.chain_id,
            payer: paid.escrowed.args.payer,
            amount: checkout.amount,
            tx_hash: paid.hash,
            block_number: Number(paid.receipt.blockNumber),
            payment_id: paid.paymentId,
            status,
          };
          emit(g, result, [
            `paid ${id}: ${formatTokenPlain(checkout.amount, checkout.token)} by ${opts.account} (${result.payer}) with ${opts.method}`,
            `  tx ${paid.hash} in block ${result.block_number} on chain ${networkLabel}`,
            `  order status: ${status}`,
          ]);
        },
      ),
    );
}

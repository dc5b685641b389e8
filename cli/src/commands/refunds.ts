/** pier refunds create */
import type { Command } from "commander";
import { action, client, emit, type Globals } from "../context.ts";
import { refundLine } from "../format.ts";
import { waitUntil } from "../wait.ts";

export function refundsCommand(program: Command): void {
  const refunds = program.command("refunds").description("Refund escrowed orders");
  refunds
    .command("create")
    .description("Refund an escrowed order, fully or partly, and wait for the chain's answer")
    .argument("<order>", "order id (ord_...)")
    .option("--amount <units>", "token units to refund (default: everything that remains)")
    .option("--reason <text>", "kept on the refund")
    .option("--no-wait", "return as soon as the refund is accepted (pending)")
    .option("--timeout <seconds>", "how long to wait for succeeded/failed", "60")
    .addHelpText("after", "\nExample:\n  pier refunds create ord_... --amount 5000000 --reason damaged")
    .action(
      action(
        async (
          order: string,
          opts: { amount?: string; reason?: string; wait: boolean; timeout: string },
          cmd: Command,
        ) => {
          const g = cmd.optsWithGlobals<Globals>();
          const pier = client(g);
          let refund = await pier.refunds.create({ order, amount: opts.amount, reason: opts.reason });
          if (opts.wait)
            refund = await waitUntil(
              `refund ${refund.id} to leave pending`,
              Number(opts.timeout),
              async () => {
                const r = await pier.refunds.retrieve(refund.id);
                return r.status !== "pending" && r;
              },
            );
          emit(g, refund, refundLine(refund));
          if (refund.status === "failed") process.exitCode = 1;
        },
      ),
    );
}

/** pier time-travel <duration>: moves the local chain's clock forward so escrows mature. */
import type { Command } from "commander";
import { action, emit, type Globals, rpcUrl } from "../context.ts";
import { parseDuration } from "../duration.ts";

export function timeTravelCommand(program: Command): void {
  program
    .command("time-travel")
    .description("Advance the local chain's clock and mine a block (escrows mature, orders expire)")
    .argument("<duration>", "seconds (3600) or 90s, 15m, 2h, 7d, 1w, 7d1s")
    .addHelpText(
      "after",
      "\nThe API's keeper then releases matured escrows (order.settled).\n\nExample:\n  pier time-travel 7d1s",
    )
    .action(
      action(async (duration: string, _opts: unknown, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const seconds = parseDuration(duration);
        const { latestBlock, timeTravel } = await import("../chain.ts");
        const before = await latestBlock(rpcUrl(g));
        const after = await timeTravel(rpcUrl(g), seconds);
        emit(
          g,
          {
            seconds,
            block_number: after.number,
            chain_time: after.timestamp,
            previous_chain_time: before.timestamp,
          },
          `advanced ${seconds} s: block ${after.number}, chain time ${new Date(after.timestamp * 1000).toISOString()}`,
        );
      }),
    );
}

/** pier time-travel <duration>: moves the local chains' clocks forward so escrows mature. */
import type { Command } from "commander";
import { action, emit, type Globals, networkChainId } from "../context.ts";
import { parseDuration } from "../duration.ts";

export function timeTravelCommand(program: Command): void {
  program
    .command("time-travel")
    .description("Advance the local chains' clocks and mine a block on each (escrows mature, orders expire)")
    .argument("<duration>", "seconds (3600) or 90s, 15m, 2h, 7d, 1w, 7d1s")
    .option("--network <network>", "only this chain: a chain id (31337, 1337) or a name (Local A, Local B)")
    .addHelpText(
      "after",
      `
Every local chain of the stack moves by the same duration: the one at --rpc-url/PIER_RPC_URL (default
chain A on 8545), each PIER_RPC_URL_<chainId>, and, with no URL given, dev chain B on 8546 when it runs.
The API's keeper then releases matured escrows (order.settled), and subscriptions whose next charge is
now due are charged (invoice.paid or invoice.payment_failed).

Example:
  pier time-travel 7d1s
  pier time-travel 1h --network 1337`,
    )
    .action(
      action(async (duration: string, opts: { network?: string }, cmd: Command) => {
        const g = cmd.optsWithGlobals<Globals>();
        const seconds = parseDuration(duration);
        const { chainId, latestBlock, localChainUrls, rpcUrlForChain, timeTravel } = await import(
          "../chain.ts"
        );
        const urls =
          opts.network === undefined
            ? await localChainUrls(g)
            : [await rpcUrlForChain(g, networkChainId(opts.network))];
        const chains = [];
        for (const url of urls) {
          const before = await latestBlock(url);
          const after = await timeTravel(url, seconds);
          chains.push({
            chain_id: await chainId(url),
            rpc_url: url,
            block_number: after.number,
            chain_time: after.timestamp,
            previous_chain_time: before.timestamp,
          });
        }
        const first = chains[0]!;
        emit(
          g,
          {
            seconds,
            // The first chain's, as before there were several.
            block_number: first.block_number,
            chain_time: first.chain_time,
            previous_chain_time: first.previous_chain_time,
            chains,
          },
          chains.map(
            (c) =>
              `advanced ${seconds} s on chain ${c.chain_id}: block ${c.block_number}, chain time ${new Date(c.chain_time * 1000).toISOString()}`,
          ),
        );
      }),
    );
}

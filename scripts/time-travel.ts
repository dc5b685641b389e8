/**
 * Moves the local chain's clock forward and mines a block, so escrows mature and the API's keeper
 * releases them. Local chains only.
 *   pnpm exec tsx scripts/time-travel.ts <seconds>      (e.g. 604801 for 7 days + 1 s)
 */
import { rpc } from "./lib/chain.ts";
import { log } from "./lib/log.ts";

const seconds = Number(process.argv[2]);
if (!Number.isSafeInteger(seconds) || seconds <= 0) {
  console.error("usage: time-travel.ts <seconds>   (a positive whole number)");
  process.exit(2);
}
const rpcUrl = process.env.PIER_RPC_URL ?? "http://127.0.0.1:8545";
await rpc(rpcUrl, "evm_increaseTime", [seconds]);
await rpc(rpcUrl, "evm_mine");
const block = await rpc<{ number: string; timestamp: string }>(rpcUrl, "eth_getBlockByNumber", [
  "latest",
  false,
]);
log("time-travel", "advanced", {
  seconds,
  block: Number.parseInt(block.number, 16),
  chainTime: new Date(Number.parseInt(block.timestamp, 16) * 1000).toISOString(),
});

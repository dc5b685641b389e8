/**
 * Moves the local chains' clocks forward and mines a block on each, so escrows mature and the API's keeper
 * releases them: the chain at PIER_RPC_URL, or the dev stack's two (8545, and 8546 when it runs). Local
 * chains only.
 *   pnpm exec tsx scripts/time-travel.ts <seconds>      (e.g. 604801 for 7 days + 1 s)
 */
import { rpc } from "./lib/chain.ts";
import { log } from "./lib/log.ts";

const seconds = Number(process.argv[2]);
if (!Number.isSafeInteger(seconds) || seconds <= 0) {
  console.error("usage: time-travel.ts <seconds>   (a positive whole number)");
  process.exit(2);
}
// PIER_RPC_URL alone when set; else the dev stack's chains: A on 8545, and B on 8546 when it runs.
const given = process.env.PIER_RPC_URL;
const urls = given ? [given] : ["http://127.0.0.1:8545"];
if (!given && (await rpc("http://127.0.0.1:8546", "eth_chainId").catch(() => undefined)))
  urls.push("http://127.0.0.1:8546");
for (const rpcUrl of urls) {
  await rpc(rpcUrl, "evm_increaseTime", [seconds]);
  await rpc(rpcUrl, "evm_mine");
  const block = await rpc<{ number: string; timestamp: string }>(rpcUrl, "eth_getBlockByNumber", [
    "latest",
    false,
  ]);
  log("time-travel", "advanced", {
    rpcUrl,
    seconds,
    block: Number.parseInt(block.number, 16),
    chainTime: new Date(Number.parseInt(block.timestamp, 16) * 1000).toISOString(),
  });
}

/**
 * Ponder config: every chain named by PIER_DEPLOYMENT_FILE (the local Hardhat chain by default), its
 * PaymentEscrow from the deployment's address and block, Postgres from DATABASE_URL. The environment is
 * read and validated in lib/config.ts, where each variable is documented.
 */
import { readFileSync } from "node:fs";
import { createConfig } from "ponder";
import type * as Abis from "../contracts/generated/abis.ts";
import { readIndexerConfig } from "./lib/config.ts";

// The ABIs are read as JSON at run time, typed by abis.ts: Ponder transforms every module this file
// imports at each start, and abis.ts was the largest of them (~0.1 s of CPU per start, measured).
const { paymentEscrowAbi, spendPermissionsAbi } = JSON.parse(
  readFileSync(new URL("../contracts/generated/abis.json", import.meta.url), "utf8"),
) as typeof Abis;
const { databaseUrl, chains } = readIndexerConfig();
// Read by Ponder after this file, when it creates each chain's RPC client and as it fetches each new
// block (patches/ponder@0.17.7.patch).
for (const c of chains) {
  if (c.rpcRps !== undefined) process.env[`PONDER_RPC_INITIAL_RPS_${c.chainId}`] = String(c.rpcRps);
  if (c.trustZeroLogsBloom) process.env[`PONDER_TRUST_ZERO_LOGS_BLOOM_${c.chainId}`] = "1";
}
// No handler reads `event.transaction.input`: ponder_sync stores transactions without their calldata,
// most of each one's bytes (README, "Stored transactions"). Set it to 0 before adding a handler that does.
process.env.PONDER_SYNC_OMIT_TRANSACTION_INPUT ??= "1";

export default createConfig({
  // Chains are independent (every table is keyed by chain id): each indexes as fast as it can.
  ordering: "multichain",
  database: { kind: "postgres", connectionString: databaseUrl },
  chains: Object.fromEntries(
    chains.map((c) => [
      c.name,
      {
        id: c.chainId,
        rpc: c.rpcUrl,
        ws: c.wsUrl,
        pollingInterval: c.pollingIntervalMs,
        disableCache: c.disableCache,
      },
    ]),
  ),
  contracts: {
    PaymentEscrow: {
      abi: paymentEscrowAbi,
      chain: Object.fromEntries(
        chains.map((c) => [c.name, { address: c.escrow.address, startBlock: c.escrow.startBlock }]),
      ),
    },
    // Subscriptions (src/SpendPermissions.ts), on the chains whose deployment has it.
    SpendPermissions: {
      abi: spendPermissionsAbi,
      chain: Object.fromEntries(
        chains.flatMap((c) =>
          c.spendPermissions
            ? [[c.name, { address: c.spendPermissions.address, startBlock: c.spendPermissions.startBlock }]]
            : [],
        ),
      ),
    },
  },
});

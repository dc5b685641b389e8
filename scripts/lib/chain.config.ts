/**
 * Hardhat config of the local chain process alone (`hardhat node`, started by chain.ts): Hardhat's
 * default simulated network (chain id 31337, the public test accounts), no plugins.
 *
 * Why not the project's hardhat.config.ts: with it, every node start reads all of the contracts' build
 * infos (over 100 MB once the Solidity tests and coverage have run) to show Solidity stack traces in the
 * node's own log, seconds of CPU per start, and the test suites start one node per file. Clients lose
 * nothing: they decode reverts and custom errors from the ABIs.
 */
import { defineConfig } from "hardhat/config";

export default defineConfig({});

/** What scripts/deploy.ts is about to do (or would do, with --dry-run), as lines for a person to read. */
import type { Address, Hex } from "viem";
import type { EscrowConstructorArgs } from "../../contracts/lib/deterministicDeployment.ts";

export interface DeployPlan {
  network: string;
  chainId: number | undefined;
  rpcUrl: string | undefined;
  deployer: Address | undefined;
  factory: Address;
  salt: Hex;
  constructorArgs: EscrowConstructorArgs;
  encodedConstructorArgs: Hex;
  escrow: Address;
  /** What the RPC said; undefined when it was not asked (--offline) or did not answer. */
  onChain: { factory: boolean; escrow: boolean } | undefined;
  /** Whether a missing factory is installed with hardhat_setCode (dev nodes) or is an error. */
  installFactory: boolean;
  /** Transactions after the escrow's (test tokens, balances). */
  more: string[];
}

export function formatPlan(plan: DeployPlan): string {
  const yesNo = (b: boolean) => (b ? "yes" : "no");
  const lines = [
    `network:           ${plan.network}`,
    `chain id:          ${plan.chainId ?? "(from the RPC)"}`,
    `rpc:               ${plan.rpcUrl ?? "(none: set PIER_RPC_URL)"}`,
    `deployer:          ${plan.deployer ?? "(PIER_DEPLOYER_KEY unset)"}`,
    `factory:           ${plan.factory} (deterministic deployment proxy, CREATE2)`,
    `salt:              ${plan.salt}`,
    "constructor args:",
    `  owner            ${plan.constructorArgs.owner}`,
    `  arbiter          ${plan.constructorArgs.arbiter}`,
    `  fee recipient    ${plan.constructorArgs.feeRecipient}`,
    `  max fee (bps)    ${plan.constructorArgs.maxFeeBps}`,
    `  abi-encoded      ${plan.encodedConstructorArgs}`,
    `escrow address:    ${plan.escrow}`,
    `factory on chain:  ${plan.onChain ? yesNo(plan.onChain.factory) : "unknown (RPC not asked or unreachable)"}`,
    `already deployed:  ${plan.onChain ? yesNo(plan.onChain.escrow) : "unknown (RPC not asked or unreachable)"}`,
    "transactions:",
  ];
  const txs: string[] = [];
  if (!plan.onChain?.factory)
    txs.push(
      plan.installFactory
        ? "if the factory is missing: install it with hardhat_setCode (dev node; no transaction)"
        : "if the factory is missing: none, the deploy stops (deploy the factory first)",
    );
  if (plan.onChain?.escrow) txs.push("none for PaymentEscrow: already at its address, reused");
  else
    txs.push(
      `deployer -> ${plan.factory}: CREATE2 PaymentEscrow (calldata = salt ++ init code)${plan.onChain ? "" : ", unless already deployed"}`,
    );
  txs.push(...plan.more);
  lines.push(...txs.map((t, i) => `  ${i + 1}. ${t}`));
  return `${lines.join("\n")}\n`;
}

/**
 * The Solidity standard-JSON input PaymentEscrow was compiled from, for explorer verification
 * (Etherscan, Blockscout, Sourcify: "Solidity (Standard-Json-Input)"). Taken verbatim from Hardhat's
 * build info, so the source names and settings are exactly those the deployed bytecode came from.
 */
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { paymentEscrowBytecode } from "../../contracts/generated/bytecode.ts";

const artifactsDir = new URL("../../contracts/artifacts/", import.meta.url).pathname;

export interface VerifyInput {
  path: string;
  /** The compiler version to pick in the explorer's form. */
  compiler: string;
  /** The fully qualified contract name within the input. */
  contract: string;
}

/** Where the input is written: next to the deployment file, named after the chain. */
export function verifyInputPath(deploymentFile: string, chainId: number): string {
  return join(dirname(deploymentFile), `${chainId}.PaymentEscrow.standard-input.json`);
}

/**
 * Writes the input next to `deploymentFile`. Refuses when the artifacts do not match the bytecode being
 * deployed (built again since contracts/generated was written, or with other settings): that input would
 * not verify.
 */
export async function writeVerifyInput(deploymentFile: string, chainId: number): Promise<VerifyInput> {
  const artifact = JSON.parse(
    await readFile(join(artifactsDir, "contracts/src/PaymentEscrow.sol/PaymentEscrow.json"), "utf8"),
  ) as { bytecode: string; inputSourceName: string; contractName: string; buildInfoId: string };
  if (artifact.bytecode !== paymentEscrowBytecode)
    throw new Error(
      "contracts/artifacts do not match contracts/generated: run pnpm exec hardhat build && pnpm exec tsx scripts/generate-abis.ts",
    );
  const buildInfo = JSON.parse(
    await readFile(join(artifactsDir, "build-info", `${artifact.buildInfoId}.json`), "utf8"),
  ) as { solcLongVersion: string; input: unknown };
  const path = verifyInputPath(deploymentFile, chainId);
  await writeFile(path, `${JSON.stringify(buildInfo.input, null, 2)}\n`);
  return {
    path,
    compiler: `v${buildInfo.solcLongVersion}`,
    contract: `${artifact.inputSourceName}:${artifact.contractName}`,
  };
}

/**
 * Which networks the API serves and which tokens it accepts on each: read from the JSON file named by
 * PIER_NETWORKS_FILE, or, without one, a single network from the legacy variables (PIER_RPC_URL,
 * PIER_DEPLOYMENT_FILE, PIER_TOKEN_ADDRESS, PIER_TOKEN_PEG, PIER_CONFIRMATIONS, PIER_PAYMASTER_URL). The
 * file's format is documented in docs/going-live.md; a bad file is refused at boot with every problem named.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { isLocalChain } from "@pier/contracts/chains";
import { networks as presets } from "@pier/contracts/networks";
import { Ajv, type ValidateFunction } from "ajv";
import { type Static, Type } from "typebox";
import type { Config } from "../config.ts";
import { ConfigError, httpUrlProblem } from "../lib/env.ts";

export const TOKEN_METHODS = ["authorization", "permit", "dai_permit", "allowance"] as const;
export type TokenMethod = (typeof TOKEN_METHODS)[number];

const Address = Type.String({ pattern: "^0x[0-9a-fA-F]{40}$" });

const TokenEntry = Type.Object(
  {
    address: Address,
    peg: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$" })),
    methods: Type.Optional(
      Type.Array(Type.Union(TOKEN_METHODS.map((m) => Type.Literal(m))), { minItems: 1, uniqueItems: true }),
    ),
  },
  { additionalProperties: false },
);

const NetworkEntry = Type.Object(
  {
    chain_id: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    rpc_urls: Type.Array(Type.String({ pattern: "^https?://" }), { minItems: 1 }),
    deployment_file: Type.Optional(Type.String({ minLength: 1 })),
    confirmations: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    block_time_ms: Type.Optional(Type.Integer({ minimum: 1 })),
    testnet: Type.Optional(Type.Boolean()),
    explorer_url: Type.Optional(Type.String({ pattern: "^https?://" })),
    // Checked by httpUrlProblem below, for a message that says what is wrong rather than a regex.
    paymaster_url: Type.Optional(Type.String()),
    tokens: Type.Optional(Type.Array(TokenEntry, { minItems: 1 })),
  },
  { additionalProperties: false },
);

const NetworksFile = Type.Object(
  { networks: Type.Array(NetworkEntry, { minItems: 1 }) },
  { additionalProperties: false },
);

export interface NetworkSpec {
  chainId: number;
  name: string;
  rpcUrls: string[];
  deploymentFile?: string;
  confirmations?: number;
  blockTimeMs?: number;
  testnet: boolean;
  explorerUrl?: string;
  /**
   * An ERC-7677 paymaster service for this network, handed to customers' wallets (EIP-5792
   * `paymasterService`) by the checkout: public by design.
   */
  paymasterUrl?: string;
  /** Empty: the deployment's TestStablecoin. */
  tokens: { address: string; peg: string; methods?: TokenMethod[] }[];
}

/**
 * Compiled on first use: most processes read no networks file, and compiling at import cost every start
 * about 40 ms. The schema is TypeBox's, so ajv's check of it against the JSON Schema meta-schema (another
 * compile) is skipped.
 */
let validateNetworksFile: ValidateFunction<Static<typeof NetworksFile>> | undefined;
const validator = () =>
  (validateNetworksFile ??= new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(
    NetworksFile,
  ));

/** The networks this process serves, first one the default. */
export function readNetworkSpecs(config: Config): NetworkSpec[] {
  if (!config.networksFile) return [legacySpec(config)];
  // Each network's mode follows its `testnet` flag; a process-wide switch would contradict the file.
  if (config.livemode !== undefined)
    throw new ConfigError(
      "PIER_LIVEMODE applies only without PIER_NETWORKS_FILE: mark each network `testnet` in the file instead",
    );
  // A paymaster service serves one chain: one URL for every network of the file would be wrong on all but one.
  if (config.paymasterUrl !== undefined)
    throw new ConfigError(
      "PIER_PAYMASTER_URL applies only without PIER_NETWORKS_FILE: set `paymaster_url` on each network in the file instead",
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(config.networksFile, "utf8"));
  } catch (cause) {
    throw new ConfigError(`cannot read PIER_NETWORKS_FILE=${config.networksFile}`, { cause });
  }
  return parseNetworkSpecs(parsed, config, config.networksFile);
}

export function parseNetworkSpecs(
  parsed: unknown,
  config: Pick<Config, "tokenPeg" | "confirmations">,
  file: string,
) {
  const validate = validator();
  if (!validate(parsed)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message}`);
    throw new ConfigError(`invalid PIER_NETWORKS_FILE ${file}:\n  ${problems.join("\n  ")}`);
  }
  const badUrls = parsed.networks.flatMap((n, i) => {
    const problem = n.paymaster_url === undefined ? null : httpUrlProblem(n.paymaster_url);
    return problem ? [`/networks/${i}/paymaster_url (chain ${n.chain_id}): ${problem}`] : [];
  });
  if (badUrls.length > 0)
    throw new ConfigError(`invalid PIER_NETWORKS_FILE ${file}:\n  ${badUrls.join("\n  ")}`);
  const seen = new Set<number>();
  return parsed.networks.map((n): NetworkSpec => {
    if (seen.has(n.chain_id)) throw new ConfigError(`PIER_NETWORKS_FILE lists chain ${n.chain_id} twice`);
    seen.add(n.chain_id);
    const tokens = (n.tokens ?? []).map((t) => ({
      address: t.address,
      peg: t.peg ?? config.tokenPeg,
      methods: t.methods,
    }));
    const addresses = new Set(tokens.map((t) => t.address.toLowerCase()));
    if (addresses.size !== tokens.length)
      throw new ConfigError(`PIER_NETWORKS_FILE lists a token twice on chain ${n.chain_id}`);
    const preset = presetOf(n.chain_id);
    return {
      chainId: n.chain_id,
      name: n.name ?? preset?.name ?? `chain ${n.chain_id}`,
      rpcUrls: n.rpc_urls,
      deploymentFile: n.deployment_file ? resolve(n.deployment_file) : undefined,
      // The file's, else PIER_CONFIRMATIONS for every network, else the preset's suggestion.
      confirmations: n.confirmations ?? config.confirmations ?? preset?.confirmations,
      blockTimeMs: n.block_time_ms,
      testnet: n.testnet ?? (isLocalChain(n.chain_id) || (preset?.testnet ?? false)),
      explorerUrl: n.explorer_url ?? preset?.explorerUrl,
      paymasterUrl: n.paymaster_url,
      tokens,
    };
  });
}

function legacySpec(config: Config): NetworkSpec {
  return {
    // Checked against the RPC at boot; the legacy variables do not name the chain, so take what it says.
    chainId: 0,
    name: "",
    rpcUrls: [config.rpcUrl],
    deploymentFile: config.deploymentFile,
    confirmations: config.confirmations,
    testnet: !(config.livemode ?? false),
    paymasterUrl: config.paymasterUrl,
    tokens: config.tokenAddress ? [{ address: config.tokenAddress, peg: config.tokenPeg }] : [],
  };
}

function presetOf(chainId: number) {
  return Object.values(presets).find((p) => p.chainId === chainId);
}

/** A name for a chain id: the preset's, the local chain's, or "chain <id>". */
export function defaultNetworkName(chainId: number): string {
  if (isLocalChain(chainId)) return "Local";
  return presetOf(chainId)?.name ?? `chain ${chainId}`;
}

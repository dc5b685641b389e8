/**
 * Every network this API process serves (chain/networkSpec.ts says which), each a ChainContext with its
 * own RPC, deployment, tokens, signers, head tracker and syncer state. The first is the default: orders
 * that name no network, payment links, and the fiat bridge use it.
 */
import type { Config } from "../config.ts";
import { InvalidRequestError } from "../errors.ts";
import { type ChainContext, loadChainContext, type TokenInfo, tokenOn } from "./chainContext.ts";
import { readNetworkSpecs } from "./networkSpec.ts";
import { createRemoteSigner, verifyRemoteAccounts } from "./remoteSigner.ts";

export interface Networks {
  list: ChainContext[];
  default: ChainContext;
  /** Test or live mode of the process (every network serves the same mode). */
  livemode: boolean;
  byId: Map<number, ChainContext>;
}

export async function loadNetworks(config: Config): Promise<Networks> {
  const specs = readNetworkSpecs(config);
  const remote = config.remoteSigner ? createRemoteSigner(config.remoteSigner) : undefined;
  const list: ChainContext[] = [];
  for (const spec of specs) list.push(await loadChainContext(config, spec, remote));
  if (remote) await verifyRemoteAccounts(remote, list[0]!.signers.remote);
  return {
    list,
    default: list[0]!,
    livemode: list[0]!.livemode,
    byId: new Map(list.map((n) => [n.chainId, n])),
  };
}

/**
 * The network an order or payment is on. Rows name only networks this process was configured with;
 * one that is not (a network removed from the configuration) is a deployment mistake worth a loud error.
 */
export function networkOf(networks: Networks, chainId: number | string): ChainContext {
  const net = networks.byId.get(Number(chainId));
  if (!net) throw new Error(`chain ${chainId} is not among this process's networks (PIER_NETWORKS_FILE)`);
  return net;
}

/** The token row `address` on `chainId`: symbol and decimals for rendering, when the network accepts it. */
export function tokenInfoOf(networks: Networks, chainId: number | string, address: string) {
  const net = networks.byId.get(Number(chainId));
  return net ? tokenOn(net, address) : undefined;
}

/** The network and token an order asks for (`network`, `token` in the create body), or the defaults. */
export function resolveTarget(
  networks: Networks,
  network: number | undefined,
  token: string | undefined,
): { net: ChainContext; token: TokenInfo } {
  const net = network === undefined ? networks.default : networks.byId.get(network);
  if (!net) {
    const known = networks.list.map((n) => n.chainId).join(", ");
    throw new InvalidRequestError(
      "parameter_invalid",
      `Network ${network} is not served here (networks: ${known})`,
      "network",
    );
  }
  if (token === undefined) return { net, token: net.token };
  const found = tokenOn(net, token);
  if (!found) {
    const known = net.tokens.map((t) => `${t.symbol} ${t.address}`).join(", ");
    throw new InvalidRequestError(
      "parameter_invalid",
      `Token ${token} is not accepted on network ${net.chainId} (${known})`,
      "token",
    );
  }
  return { net, token: found };
}

/**
 * Every network this API process serves (chain/networkSpec.ts says which), each a ChainContext with its
 * own RPC, deployment, tokens, signers, head tracker and syncer state. Mainnets serve live mode and
 * testnets test mode, side by side: a key, session or order of one mode only ever sees that mode's
 * networks. The first network of a mode is its home: orders naming no network and payment links use it.
 * The first network overall hosts the fiat bridge.
 */
import type { Config } from "../config.ts";
import { InvalidRequestError } from "../errors.ts";
import { type ChainContext, loadChainContext, type TokenInfo, tokenOn } from "./chainContext.ts";
import { readNetworkSpecs } from "./networkSpec.ts";
import { createRemoteSigner, verifyRemoteAccounts } from "./remoteSigner.ts";

export interface Networks {
  list: ChainContext[];
  /** The first network: the fiat bridge's. */
  default: ChainContext;
  /** The modes served (false: test, true: live), each with its home network. */
  homes: Map<boolean, ChainContext>;
  byId: Map<number, ChainContext>;
}

export async function loadNetworks(config: Config): Promise<Networks> {
  const specs = readNetworkSpecs(config);
  const remote = config.remoteSigner ? createRemoteSigner(config.remoteSigner) : undefined;
  const list: ChainContext[] = [];
  for (const spec of specs) list.push(await loadChainContext(config, spec, remote));
  if (remote) await verifyRemoteAccounts(remote, list[0]!.signers.remote);
  const homes = new Map<boolean, ChainContext>();
  for (const net of list) if (!homes.has(net.livemode)) homes.set(net.livemode, net);
  return { list, default: list[0]!, homes, byId: new Map(list.map((n) => [n.chainId, n])) };
}

export const modeName = (livemode: boolean) => (livemode ? "live" : "test");

/** Whether any network serves `livemode`: keys and sessions of a mode without one are refused. */
export const servesMode = (networks: Pick<Networks, "homes">, livemode: boolean) =>
  networks.homes.has(livemode);

/**
 * The mode a request asks for (`livemode` in its body), default the first network's; a mode no network
 * serves is a 400 naming the parameter.
 */
export function requestedMode(networks: Networks, livemode: boolean | undefined): boolean {
  const mode = livemode ?? networks.default.livemode;
  if (!servesMode(networks, mode))
    throw new InvalidRequestError(
      "parameter_invalid",
      `This Pier serves no ${modeName(mode)} network`,
      "livemode",
    );
  return mode;
}

/** The first network of `livemode`. Callers hold a principal of a served mode (auth checked it). */
export function homeNetwork(networks: Networks, livemode: boolean): ChainContext {
  const net = networks.homes.get(livemode);
  if (!net) throw new Error(`no ${modeName(livemode)} network is served here`);
  return net;
}

/** The networks of `livemode`, in configuration order. */
export const networksOfMode = (networks: Networks, livemode: boolean) =>
  networks.list.filter((n) => n.livemode === livemode);

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

/**
 * The network and token an order asks for (`network`, `token` in the create body), or the defaults of
 * its mode. A network of the other mode is refused like an unknown one, naming the mode it serves.
 */
export function resolveTarget(
  networks: Networks,
  livemode: boolean,
  network: number | undefined,
  token: string | undefined,
): { net: ChainContext; token: TokenInfo } {
  const net = network === undefined ? homeNetwork(networks, livemode) : networks.byId.get(network);
  if (!net || net.livemode !== livemode) {
    const known = networksOfMode(networks, livemode)
      .map((n) => n.chainId)
      .join(", ");
    const why = net ? `is a ${modeName(net.livemode)} network` : "is not served here";
    throw new InvalidRequestError(
      "parameter_invalid",
      `Network ${network} ${why} (${modeName(livemode)} networks: ${known})`,
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

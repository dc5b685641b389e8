/**
 * The page half of the test wallet: an EIP-1193 provider installed before the app loads
 * (page.addInitScript), announced through EIP-6963 and/or set as the legacy `window.ethereum`. It keeps
 * the wallet's current chain and known chains itself (switch / add network) and hands every other request
 * to the Node half through the exposed `__pierWallet` binding (see testWallet.ts).
 *
 * This function is serialized into the page: it may only use what a browser has.
 */
export interface InjectedWalletOptions {
  address: string;
  chainId: number;
  knownChainIds: number[];
  name: string;
  rdns: string;
  announce: boolean;
  legacy: boolean;
  /** The site is already allowed to see the account (a returning customer); otherwise it must ask. */
  preauthorized: boolean;
}

export function installInjectedWallet(opts: InjectedWalletOptions): void {
  type Listener = (value: unknown) => void;
  const w = window as unknown as {
    ethereum?: unknown;
    __pierWallet: (payload: string) => Promise<string>;
  };
  const listeners = new Map<string, Set<Listener>>();
  const known = new Set(opts.knownChainIds);
  let chainId = opts.chainId;
  let authorized = opts.preauthorized;
  const hex = (n: number) => `0x${n.toString(16)}`;
  const emit = (event: string, value: unknown) => {
    for (const fn of listeners.get(event) ?? []) fn(value);
  };
  const rpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

  const provider = {
    isPierTestWallet: true,
    async request({ method, params }: { method: string; params?: unknown[] }): Promise<unknown> {
      switch (method) {
        case "eth_chainId":
          return hex(chainId);
        case "net_version":
          return String(chainId);
        case "eth_accounts":
          return authorized ? [opts.address] : [];
        case "eth_requestAccounts":
          authorized = true;
          return [opts.address];
        case "wallet_requestPermissions":
          authorized = true;
          return [{ parentCapability: "eth_accounts" }];
        case "wallet_getPermissions":
          return authorized ? [{ parentCapability: "eth_accounts" }] : [];
        case "wallet_revokePermissions":
          authorized = false;
          return null;
        case "wallet_switchEthereumChain": {
          const target = Number((params as [{ chainId: string }])[0].chainId);
          if (!known.has(target))
            throw rpcError(4902, `Unrecognized chain ID ${hex(target)}. Try adding the chain.`);
          await call("wallet_switchEthereumChain", params);
          chainId = target;
          emit("chainChanged", hex(target));
          return null;
        }
        case "wallet_addEthereumChain": {
          const target = Number((params as [{ chainId: string }])[0].chainId);
          await call("wallet_addEthereumChain", params);
          known.add(target);
          chainId = target;
          emit("chainChanged", hex(target));
          return null;
        }
        default:
          return call(method, params);
      }
    },
    on(event: string, fn: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(fn);
      return provider;
    },
    removeListener(event: string, fn: Listener) {
      listeners.get(event)?.delete(fn);
      return provider;
    },
  };

  async function call(method: string, params: unknown[] | undefined): Promise<unknown> {
    const answer = JSON.parse(
      await w.__pierWallet(JSON.stringify({ method, params: params ?? [], chainId })),
    ) as {
      result?: unknown;
      error?: { code: number; message: string; data?: unknown };
    };
    if (answer.error)
      throw Object.assign(rpcError(answer.error.code, answer.error.message), { data: answer.error.data });
    return answer.result;
  }

  if (opts.legacy) w.ethereum = provider;
  if (opts.announce) {
    const icon =
      "data:image/svg+xml;utf8," +
      encodeURIComponent(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#1f5eff"/></svg>',
      );
    const detail = Object.freeze({
      info: Object.freeze({ uuid: crypto.randomUUID(), name: opts.name, icon, rdns: opts.rdns }),
      provider,
    });
    const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
    window.addEventListener("eip6963:requestProvider", announce);
    announce();
  }
}

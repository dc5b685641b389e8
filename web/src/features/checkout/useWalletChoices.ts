/**
 * The wallets to offer: every EIP-6963 wallet, the legacy `window.ethereum` only when it is not one of
 * them (and exists at all), and WalletConnect when configured.
 */
import { useEffect, useState } from "react";
import { type Connector, useConnectors } from "wagmi";

const LEGACY_ID = "injected";

export function useWalletChoices(): readonly Connector[] {
  const connectors = useConnectors();
  const [legacyIsDuplicate, setLegacyIsDuplicate] = useState<boolean | undefined>(undefined);

  useEffect(() => {
    let stale = false;
    const legacy = (window as { ethereum?: unknown }).ethereum;
    const announced = connectors.filter((c) => c.type === "injected" && c.id !== LEGACY_ID);
    Promise.all(announced.map((c) => c.getProvider().catch(() => undefined))).then((providers) => {
      if (!stale) setLegacyIsDuplicate(legacy === undefined || providers.includes(legacy));
    });
    return () => {
      stale = true;
    };
  }, [connectors]);

  return connectors.filter((c) => c.id !== LEGACY_ID || legacyIsDuplicate === false);
}

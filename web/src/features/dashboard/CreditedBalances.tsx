/**
 * A notice when the escrow holds payouts for the merchant that its token refused (the issuer blacklisted
 * the payout address, or paused the token): how much, and that Pier pays it there, and only there, as
 * soon as the token allows. Nothing when nothing is owed.
 */

import type { Merchant } from "@pier/client/types";
import { formatToken } from "@pier/money/display";
import { useQuery } from "@tanstack/react-query";
import { apiGet } from "../../lib/dashboardApi.ts";
import { shortHex } from "../../lib/format.ts";

export function CreditedBalances() {
  const merchant = useQuery({
    queryKey: ["merchant"],
    queryFn: () => apiGet<Merchant>("/v1/merchant"),
    refetchInterval: 30_000,
  });
  const credited = merchant.data?.credited_balances ?? [];
  if (credited.length === 0) return null;
  return (
    <div className="notice card" role="status" data-testid="credited-balances">
      <strong>Payouts held for you:</strong>{" "}
      {credited
        .map((c) =>
          c.symbol !== null && c.decimals !== null
            ? formatToken(c.amount, { symbol: c.symbol, decimals: c.decimals })
            : `${c.amount} units of token ${shortHex(c.token)}`,
        )
        .join(", ")}
      . The token refused the transfer to your payout address (its issuer blocked the address, or paused the
      token). The escrow keeps it for that address only, and Pier pays it there as soon as the token allows.
    </div>
  );
}

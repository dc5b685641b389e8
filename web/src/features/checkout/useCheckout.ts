/**
 * The order as the API reports it, kept live by polling GET /v1/checkout/:id: every second while it can
 * still change soon (open, processing, or a payment in flight), every 5 s while escrowed or disputed,
 * every 15 s once final.
 */
import type { OrderStatus } from "@pier/client/types";
import { useQuery } from "@tanstack/react-query";
import {
  type Checkout,
  CheckoutApiError,
  fetchCheckout,
  takePrefetchedCheckout,
} from "../../lib/checkoutApi.ts";

function pollMs(status: OrderStatus | undefined, busy: boolean): number {
  if (busy || status === "open" || status === "processing") return 1_000;
  if (status === "escrowed" || status === "disputed") return 5_000;
  return 15_000;
}

export function useCheckout(orderId: string, busy: boolean) {
  return useQuery<Checkout, Error>({
    queryKey: ["checkout", orderId],
    queryFn: ({ signal }) => takePrefetchedCheckout(orderId) ?? fetchCheckout(orderId, signal),
    refetchInterval: (query) => (query.state.error ? 5_000 : pollMs(query.state.data?.status, busy)),
    refetchIntervalInBackground: true,
    retry: (count, error) =>
      !(error instanceof CheckoutApiError && (error.status === 404 || error.status === 400)) && count < 2,
  });
}

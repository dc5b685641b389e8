/** GET /v1/networks: the networks this deployment serves and the tokens it accepts on each. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../../context.ts";
import { errors } from "../../../schemas/common.ts";
import { NetworkList, type NetworkObjectT } from "../../../schemas/network.ts";

export default async function networkRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/v1/networks",
    {
      config: { auth: "public" },
      schema: {
        operationId: "listNetworks",
        tags: ["Networks"],
        summary: "List networks and tokens",
        description:
          "Where orders can be paid: each network's chain id, mode, escrow, confirmation depth and accepted tokens. Mainnets serve live mode (`sk_live_` keys) and testnets test mode. Pass `network` (chain id) and `token` (address) when creating an order to choose among your key's mode; the first network of the mode (`default`) and its first token are the defaults.",
        response: { 200: NetworkList, ...errors(429) },
      },
    },
    async () => ({
      object: "list" as const,
      data: ctx.networks.list.map(
        (net): NetworkObjectT => ({
          object: "network",
          chain_id: net.chainId,
          name: net.name,
          testnet: net.testnet,
          livemode: net.livemode,
          explorer_url: net.explorerUrl ?? null,
          escrow: net.escrow,
          confirmations: net.confirmations,
          default: net === ctx.networks.homes.get(net.livemode),
          tokens: net.tokens.map((t) => ({ ...t, peg: t.peg })),
        }),
      ),
    }),
  );
}

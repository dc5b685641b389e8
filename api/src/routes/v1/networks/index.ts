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
        tags: ["Networks"],
        summary: "List networks and tokens",
        description:
          "Where orders can be paid: each network's chain id, escrow, confirmation depth and accepted tokens. Pass `network` (chain id) and `token` (address) when creating an order to choose; the first network and its first token are the defaults.",
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
          explorer_url: net.explorerUrl ?? null,
          escrow: net.escrow,
          confirmations: net.confirmations,
          default: net === ctx.networks.default,
          tokens: net.tokens.map((t) => ({ ...t, peg: t.peg })),
        }),
      ),
    }),
  );
}

/**
 * POST /bench/baseline: inserts one row and answers, with no auth, idempotency or domain work. Only
 * registered when PIER_BENCH_BASELINE is set: scripts/bench/api.ts compares order creation against it.
 */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import type { AppContext } from "../context.ts";

export default async function benchRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    "/bench/baseline",
    {
      config: { auth: "public" },
      schema: {
        hide: true,
        body: Type.Object({ payload: Type.String({ maxLength: 200 }) }),
        response: { 200: Type.Object({ id: Type.String() }) },
      },
    },
    async (req) => {
      const { rows } = await ctx.pool.query<{ id: string }>(
        "INSERT INTO bench_baseline (payload) VALUES ($1) RETURNING id::text",
        [req.body.payload],
      );
      return { id: rows[0]!.id };
    },
  );
}

/**
 * The API benchmark's yardstick, run as its own process like the API: Fastify with a Postgres pool and
 * one route, POST /baseline, that inserts one row and answers, with no auth, idempotency or domain work.
 * scripts/benchmarks/api.ts divides order creation's throughput by this one's. Its table lives in a
 * schema of its own (bench_baseline), created here, so nothing of it is in the API's migrations.
 *
 *   DATABASE_URL=postgres://... PORT=4999 node --import tsx scripts/benchmarks/lib/baselineServer.ts
 */
import { createRequire } from "node:module";
import pg from "pg";

/** The little of Fastify used here (Fastify is a dependency of @pier/api, loaded from there). */
interface Yardstick {
  post(
    path: string,
    opts: { schema: { body: object } },
    handler: (req: { body: { payload: string } }) => Promise<unknown>,
  ): void;
  get(path: string, handler: () => Promise<unknown>): void;
  listen(opts: { host: string; port: number }): Promise<string>;
  close(): Promise<void>;
}
const fastify = createRequire(new URL("../../../api/package.json", import.meta.url))("fastify") as (opts: {
  logger: boolean;
}) => Yardstick;

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query(`CREATE SCHEMA IF NOT EXISTS bench_baseline;
  CREATE TABLE IF NOT EXISTS bench_baseline.row (
    id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);

const app = fastify({ logger: false });
app.post(
  "/baseline",
  {
    schema: {
      body: {
        type: "object",
        required: ["payload"],
        properties: { payload: { type: "string", maxLength: 200 } },
      },
    },
  },
  async (req) => {
    const { rows } = await pool.query<{ id: string }>(
      "INSERT INTO bench_baseline.row (payload) VALUES ($1) RETURNING id::text",
      [req.body.payload],
    );
    return { id: rows[0]!.id };
  },
);
app.get("/healthz", async () => ({ ok: true }));
await app.listen({ host: "127.0.0.1", port: Number(process.env.PORT) });

async function stop() {
  await app.close();
  await pool.end();
  process.exit(0);
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);

/**
 * Starts the Pier API: the only file that listens. Validates configuration, builds the context, registers
 * the app, starts the background workers and listens on PIER_API_HOST:PIER_API_PORT (127.0.0.1 by
 * default). SIGINT/SIGTERM: stop accepting requests, let in-flight work finish, close the pools, exit 0.
 */
import Fastify from "fastify";
import pierApp, { fastifyOptions } from "./app.ts";
import { createContext } from "./bootstrap.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createQueues, startWorkers } from "./jobs/workers.ts";

async function main(): Promise<void> {
  const config = loadConfig();
  const fastify = Fastify(fastifyOptions(config));
  const { ctx, close } = await createContext(config, fastify.log);
  await fastify.register(pierApp, { ctx });
  let stopWorkers = async () => {};
  if (config.workers) stopWorkers = await startWorkers(ctx);
  else await createQueues(ctx); // a web-only process still sends jobs to the queues
  await fastify.listen({ host: config.host, port: config.port });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    fastify.log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 20_000).unref();
    await fastify.close().catch((err) => fastify.log.error({ err }, "close failed"));
    await stopWorkers().catch((err) => fastify.log.error({ err }, "stopping workers failed"));
    await close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`pier-api: ${error.message}`);
  } else {
    console.error("pier-api: failed to start", error);
  }
  process.exit(1);
});

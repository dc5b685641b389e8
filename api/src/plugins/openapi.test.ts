/** The document's server: the deployment's public URL when configured, else the local API. */
import Fastify from "fastify";
import { describe, expect, test } from "vitest";
import { registerOpenApi } from "./openapi.ts";

async function serversOf(apiPublicUrl?: string) {
  const app = Fastify({ logger: false });
  try {
    await registerOpenApi(app, { apiPublicUrl });
    await app.ready();
    return (app.swagger() as { servers?: { url: string }[] }).servers?.map((s) => s.url);
  } finally {
    await app.close();
  }
}

describe("registerOpenApi", () => {
  test("default: the local API of ./scripts/dev", async () => {
    expect(await serversOf()).toEqual(["http://127.0.0.1:4000"]);
  });

  test("behavior: PIER_API_PUBLIC_URL is the only server", async () => {
    expect(await serversOf("https://pay.example.com")).toEqual(["https://pay.example.com"]);
  });
});

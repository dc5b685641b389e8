/**
 * POST /v1/fiat/webhooks/:provider: a wallet provider's notifications. The raw body (signatures cover
 * the exact bytes) is verified by the configured adapter, then stored and queued once per provider
 * event id (bridge/recordFiatEvent.ts). Duplicates answer 200 and change nothing; forged, tampered,
 * replayed-late or malformed ones answer 400 in the API's error shape.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Type from "typebox";
import { requireProvider } from "../../bridge/fiatContext.ts";
import { recordFiatEvent } from "../../bridge/recordFiatEvent.ts";
import type { AppContext } from "../../context.ts";
import { NotFoundError } from "../../errors.ts";
import { errors } from "../../schemas/common.ts";

export default async function fiatWebhookRoutes(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // Encapsulated in this plugin: only these routes see the body as bytes.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser(
    ["application/json", "application/x-www-form-urlencoded"],
    { parseAs: "buffer" },
    (_req, body, done) => done(null, body),
  );
  app.post(
    "/v1/fiat/webhooks/:provider",
    {
      config: { auth: "public" },
      schema: {
        operationId: "receiveFiatWebhook",
        tags: ["Fiat"],
        summary: "Receive a wallet provider's webhook",
        description:
          "Signed notifications from the configured fiat wallet provider (sandbox, paypal or stripe). Verified over the raw body, de-duplicated by the provider's event id, then applied by the fiat bridge's job queue.",
        params: Type.Object({ provider: Type.String({ pattern: "^(sandbox|paypal|stripe)$" }) }),
        response: {
          200: Type.Object({ received: Type.Boolean(), duplicate: Type.Boolean() }),
          ...errors(400, 404, 503),
        },
      },
    },
    async (req) => {
      const provider = requireProvider(ctx);
      if (provider.name !== req.params.provider)
        throw new NotFoundError("fiat_provider", req.params.provider, "provider");
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.from("");
      const event = await provider.verifyWebhook(raw, req.headers);
      const { duplicate } = await recordFiatEvent(ctx, event);
      req.log.info(
        { provider: provider.name, eventId: event.id, type: event.providerType, duplicate },
        "fiat webhook",
      );
      return { received: true, duplicate };
    },
  );
}

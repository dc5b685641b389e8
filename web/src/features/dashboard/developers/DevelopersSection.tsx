/** Developers: API keys, webhook endpoints, and the webhook delivery log of recent events. */
import type { SectionProps } from "../sections.ts";
import { ApiKeys } from "./ApiKeys.tsx";
import { EventDeliveries } from "./EventDeliveries.tsx";
import { WebhookEndpoints } from "./WebhookEndpoints.tsx";

export default function DevelopersSection(_: SectionProps) {
  return (
    <>
      <h1>Developers</h1>
      <ApiKeys />
      <WebhookEndpoints />
      <EventDeliveries />
    </>
  );
}

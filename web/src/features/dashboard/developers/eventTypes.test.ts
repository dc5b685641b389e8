import { describe, expect, test } from "vitest";
import { EVENT_TYPES as API_EVENT_TYPES } from "../../../../../api/src/webhooks/eventTypes.ts";
import { EVENT_TYPES } from "./WebhookEndpoints.tsx";

describe("webhook endpoint form", () => {
  test("offers exactly the event types the API accepts", () => {
    expect([...EVENT_TYPES].sort()).toEqual([...API_EVENT_TYPES].sort());
  });
});

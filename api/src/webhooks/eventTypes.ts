/** Every event type a webhook endpoint can subscribe to (`*` subscribes to all). */
import { ORDER_EVENT_TYPES } from "../orders/orderTransitions.ts";

export const EVENT_TYPES = [...ORDER_EVENT_TYPES, "refund.succeeded", "refund.failed"] as const;

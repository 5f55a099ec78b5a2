import { Inngest } from "inngest";

// Reads INNGEST_EVENT_KEY, INNGEST_SIGNING_KEY, INNGEST_DEV and INNGEST_BASE_URL itself.
export const inngest = new Inngest({ id: "trigger-dashboard" });

export const EVENT_RECEIVED = "trigger/event.received";
export const PROCESS_FUNCTION_ID = "process-trigger-event";
/** Something was written to the outbox (a reply, a notification): deliver what is due. */
export const OUTBOX_READY = "outbox/ready";

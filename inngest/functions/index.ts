import { deliverOutbox } from "./deliver-outbox";
import { eventFailed } from "./event-failed";
import { processEvent } from "./process-event";
import { scheduleTick } from "./schedule-tick";

export const functions = [processEvent, scheduleTick, eventFailed, deliverOutbox];

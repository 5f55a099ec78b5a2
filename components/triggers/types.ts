import type { z } from "zod";
import type { fetchEvent, serializeEvent } from "@/lib/events/service";
import type { updateTriggerSchema } from "@/lib/triggers/schema";
import type { eventStats } from "@/lib/stats/service";
import type { TriggerRecord } from "@/lib/triggers/serialize";

// What the API returns and accepts, typed from the server's own serializers and
// schemas (type-only imports: nothing of the server reaches the browser bundle).

/** A trigger as GET /api/v1/integration/trigger/{id}/fetch returns it. */
export type Trigger = TriggerRecord;
/** An event as the event list returns it. */
export type TriggerEvent = ReturnType<typeof serializeEvent>;
/** What the trigger form sends: a whole trigger on create, the fields that change on update. */
export type TriggerInput = z.input<typeof updateTriggerSchema>;

/** GET .../event/{eventId}/fetch, typed from the server's own function. */
export type EventDetail = Awaited<ReturnType<typeof fetchEvent>>;
export type EventStep = EventDetail["steps"][number];

/** GET .../trigger/{id}/event/stats: the overview's charts. */
export type TriggerStats = Awaited<ReturnType<typeof eventStats>>;

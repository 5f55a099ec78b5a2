import type { fetchEvent } from "@/lib/events/service";
import type { VerificationType } from "@/lib/triggers/verification";

export type Trigger = {
  id: string;
  name: string | null;
  description: string | null;
  botId: string;
  secret: string;
  authenticate: boolean;
  verification: {
    type: VerificationType;
    header: string | null;
    algorithm: "sha256" | "sha1" | null;
    encoding: "hex" | "base64" | null;
    prefix: string | null;
    secretSet: boolean;
  };
  filter: string | null;
  triggerSchedule: string | null;
  schedule: string | null;
  scheduleDescription: string | null;
  timezone: string;
  sessionDuration: number | null;
  blueprintId: string | null;
  meta: Record<string, unknown>;
  prompt: string | null;
  maxIterations: number;
  maxTime: number;
  lastTriggerAt: string | null;
  nextTriggerAt: string | null;
  rejectedCount: number;
  previousSecretExpiresAt: string | null;
  eventUrl: string;
  createdAt: string;
  updatedAt: string;
};

export type TriggerEvent = {
  id: string;
  triggerId: string;
  kind: "event" | "invoke" | "schedule";
  status: "queued" | "processing" | "completed" | "failed" | "cancelled" | "filtered";
  payload: unknown;
  contentType: string | null;
  headers: Record<string, string>;
  sessionKey: string | null;
  contact: { name?: string; email?: string; phone?: string } | null;
  replayOf: string | null;
  attempts: number;
  error: string | null;
  conversationId: string | null;
  createdAt: string;
  completedAt: string | null;
  latencyMs: number | null;
};

export type TriggerInput = {
  name?: string | null;
  description?: string | null;
  botId?: string;
  authenticate?: boolean;
  schedule?: string | null;
  timezone?: string;
  sessionDuration?: number;
  blueprintId?: string | null;
  prompt?: string | null;
  filter?: string | null;
  verification?: {
    type: VerificationType;
    secret?: string | null;
    header?: string | null;
    algorithm?: "sha256" | "sha1" | null;
    encoding?: "hex" | "base64" | null;
    prefix?: string | null;
  };
  maxIterations?: number;
  maxTime?: number;
};

/** GET .../event/{eventId}/fetch, typed from the server's own function. */
export type EventDetail = Awaited<ReturnType<typeof fetchEvent>>;
export type EventStep = EventDetail["steps"][number];

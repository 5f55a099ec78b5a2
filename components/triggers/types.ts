export type Trigger = {
  id: string;
  name: string | null;
  description: string | null;
  botId: string;
  secret: string;
  authenticate: boolean;
  triggerSchedule: string | null;
  schedule: string | null;
  scheduleDescription: string | null;
  timezone: string;
  sessionDuration: number | null;
  blueprintId: string | null;
  meta: Record<string, unknown>;
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
  status: "queued" | "processing" | "completed" | "failed";
  payload: unknown;
  contentType: string | null;
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
};

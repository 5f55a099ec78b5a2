import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => ts("created_at").notNull().defaultNow();
/**
 * The one way `updated_at` is kept: every update through the query builder sets it to the
 * database's now(); the few raw statements (lib/processing/complete.ts) write `updated_at = now()`
 * themselves. Services never set it.
 */
const updatedAt = () =>
  ts("updated_at")
    .notNull()
    .defaultNow()
    .$onUpdate(() => sql`now()`);
const meta = () => jsonb("meta").$type<Record<string, unknown>>().notNull().default({});
/** A name of the owner's choosing, unique per owner (ChatBotKit's `alias`); fetch accepts it for the id. */
const alias = () => text("alias");

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name"),
  passwordHash: text("password_hash"),
  /** Sessions carry the version they were issued under; bumping it ends every session. */
  sessionVersion: integer("session_version").notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** External sign-ins (GitHub, OIDC), linked by the provider's subject, never by email alone. */
export const userAccounts = pgTable(
  "user_accounts",
  {
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    email: text("email"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.providerAccountId] }),
    index("user_accounts_user_idx").on(t.userId),
  ],
);

/** Token buckets against password guessing and sign-up floods, shared by every server. */
export const authThrottle = pgTable("auth_throttle", {
  key: text("key").primaryKey(),
  tokens: doublePrecision("tokens").notNull(),
  /** When `tokens` was last counted: the bucket's own clock, set only when tokens are taken. */
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Every owned row belongs to a user and goes with them. */
const ownerId = () =>
  text("owner_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" });

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    lastFour: text("last_four").notNull(),
    lastUsedAt: ts("last_used_at"),
    /** After this the token no longer authenticates; null: it does not expire. */
    expiresAt: ts("expires_at"),
    createdAt: createdAt(),
  },
  (t) => [index("api_tokens_owner_idx").on(t.ownerId, t.id)],
);

export const blueprints = pgTable(
  "blueprints",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    alias: alias(),
    name: text("name").notNull(),
    description: text("description"),
    meta: meta(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("blueprints_owner_idx").on(t.ownerId, t.id),
    uniqueIndex("blueprints_owner_alias_uq").on(t.ownerId, t.alias),
  ],
);

export const skillsets = pgTable(
  "skillsets",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    alias: alias(),
    name: text("name").notNull(),
    description: text("description"),
    blueprintId: text("blueprint_id").references(() => blueprints.id, { onDelete: "set null" }),
    meta: meta(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("skillsets_owner_idx").on(t.ownerId, t.id),
    uniqueIndex("skillsets_owner_alias_uq").on(t.ownerId, t.alias),
  ],
);

export type AbilityKind = "http_request" | "webhook" | "mcp";

/** A tool an MCP server described in `tools/list`, as stored on its ability (lib/abilities/mcp.ts). */
export type McpTool = {
  name: string;
  description: string | null;
  inputSchema: Record<string, unknown>;
  /** The server's hints: readOnlyHint makes the tool `read`, anything else `write`. */
  annotations: { title?: string; readOnlyHint?: boolean; destructiveHint?: boolean } | null;
  /** Why the tool cannot be offered (its input schema does not compile), if it cannot. */
  problem?: string;
};

/** What calling an ability does: reads, or changes something (lib/abilities/effect.ts). */
export type AbilityEffect = "read" | "write";

export type VerificationType =
  "bearer" | "github" | "stripe" | "slack" | "standard-webhooks" | "shopify" | "hmac" | "graph";

/** A trigger's delivery check (lib/triggers/verification.ts); its secret is stored apart, encrypted. */
export type Verification = {
  type: VerificationType;
  header?: string | null;
  algorithm?: "sha256" | "sha1" | null;
  encoding?: "hex" | "base64" | null;
  prefix?: string | null;
};

export const abilities = pgTable(
  "abilities",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    skillsetId: text("skillset_id")
      .notNull()
      .references(() => skillsets.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    kind: text("kind").$type<AbilityKind>().notNull(),
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    /** The tool's input JSON Schema as the user wrote it; null: derived from the templates. */
    inputSchema: jsonb("input_schema").$type<Record<string, unknown>>(),
    /** Header values and the webhook secret, encrypted (lib/abilities/credentials.ts). */
    secretsEnc: text("secrets_enc"),
    /** An MCP server's tools as last discovered (`tools/list`); null for other kinds. */
    tools: jsonb("tools").$type<McpTool[]>(),
    toolsDiscoveredAt: ts("tools_discovered_at"),
    /** read: GET requests by default; write: everything else. Approvals hold write calls. */
    effect: text("effect").$type<AbilityEffect>().notNull().default("write"),
    meta: meta(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("abilities_skillset_idx").on(t.skillsetId, t.id)],
);

export const bots = pgTable(
  "bots",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    alias: alias(),
    name: text("name").notNull(),
    description: text("description"),
    model: text("model").notNull().default("echo"),
    backstory: text("backstory"),
    skillsetId: text("skillset_id").references(() => skillsets.id, { onDelete: "set null" }),
    blueprintId: text("blueprint_id").references(() => blueprints.id, { onDelete: "set null" }),
    meta: meta(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("bots_owner_idx").on(t.ownerId, t.id),
    uniqueIndex("bots_owner_alias_uq").on(t.ownerId, t.alias),
  ],
);

export type TriggerAbilities = "all" | "read" | string[];

/**
 * Bursts as one run (lib/events/batching.ts): events with the same key wait until `window` ms
 * pass without another, `maxWait` ms pass since the first, or `maxEvents` arrive.
 */
export type BatchPolicy = {
  window: number;
  maxWait: number;
  maxEvents: number;
  /** A CEL expression over the event giving the key; null: the session. */
  key: string | null;
};
/** What an event does that arrives while its session's run is going on. */
export type BusyPolicy = "queue" | "merge" | "interrupt";

/** Where a completed run's reply is delivered by the server (lib/outbox/targets.ts). */
export type ReplyTarget =
  | { type: "slack" }
  | { type: "github" }
  /** `url`: where to POST when the payload has no response_url. */
  | { type: "callback"; url: string | null };

/** A trigger pauses itself after `failures` failed runs within `window` ms. */
export type AutoPause = { failures: number; window: number };
export type ApprovalPolicy = "none" | "write" | "all";

export const triggers = pgTable(
  "triggers",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    alias: alias(),
    name: text("name"),
    description: text("description"),
    // restrict: a bot in use cannot be deleted (the API answers 409 first)
    botId: text("bot_id")
      .notNull()
      .references(() => bots.id, { onDelete: "restrict" }),
    secretEnc: text("secret_enc").notNull(),
    previousSecretEnc: text("previous_secret_enc"),
    previousSecretExpiresAt: ts("previous_secret_expires_at"),
    authenticate: boolean("authenticate").notNull().default(true),
    /** How deliveries are checked (lib/triggers/verification.ts); the provider's secret is apart, encrypted. */
    verification: jsonb("verification").$type<Verification>().notNull().default({ type: "bearer" }),
    verificationSecretEnc: text("verification_secret_enc"),
    /** A CEL expression an event must satisfy to reach the bot (lib/events/filter.ts). */
    filter: text("filter"),
    schedule: text("schedule"),
    timezone: text("timezone").notNull().default("UTC"),
    sessionDuration: bigint("session_duration", { mode: "number" }),
    blueprintId: text("blueprint_id").references(() => blueprints.id, { onDelete: "set null" }),
    meta: meta(),
    /** The user message of every run (with {{payload.*}} placeholders); null: the payload's text. */
    prompt: text("prompt"),
    /** The abilities its bot may use: all of the skillset's, only read ones, or these ids. */
    abilities: jsonb("abilities")
      .$type<TriggerAbilities>()
      .notNull()
      .default(sql`'"all"'::jsonb`),
    /** Which ability calls wait for a person's decision: none, write ones, or all. */
    approval: text("approval").$type<ApprovalPolicy>().notNull().default("none"),
    /** How long a call may wait for a decision before it counts as denied ("expired"). */
    approvalTimeout: integer("approval_timeout").notNull().default(86_400_000),
    /** Bursts batched into one run; null: every event is its own run. */
    batch: jsonb("batch").$type<BatchPolicy>(),
    /** An event arriving while its session's run goes on: waits, joins the run, or interrupts it. */
    onBusy: text("on_busy").$type<BusyPolicy>().notNull().default("queue"),
    /** Where a completed run's reply goes (Slack, GitHub, a callback); null: only the conversation. */
    reply: jsonb("reply").$type<ReplyTarget>(),
    /** The reply's credentials, encrypted: a provider token, the callback signing secret. */
    replySecretsEnc: text("reply_secrets_enc"),
    /** Set while paused: events are stored and held, none runs, schedules included. */
    pausedAt: ts("paused_at"),
    pausedReason: text("paused_reason"),
    autoPause: jsonb("auto_pause").$type<AutoPause>(),
    maxIterations: integer("max_iterations").notNull().default(6),
    maxTime: integer("max_time").notNull().default(60_000),
    rateLimitPerSecond: integer("rate_limit_per_second"),
    rateLimitBurst: integer("rate_limit_burst"),
    rejectedCount: bigint("rejected_count", { mode: "number" }).notNull().default(0),
    /** Model tokens a calendar month (UTC) may use; null: no limit. */
    monthlyTokenBudget: bigint("monthly_token_budget", { mode: "number" }),
    /** Tokens used in `tokensMonth` (the first instant of that UTC month), kept by each completed run. */
    tokensUsed: bigint("tokens_used", { mode: "number" }).notNull().default(0),
    tokensMonth: ts("tokens_month"),
    lastTriggerAt: ts("last_trigger_at"),
    nextTriggerAt: ts("next_trigger_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("triggers_owner_idx").on(t.ownerId, t.id),
    uniqueIndex("triggers_owner_alias_uq").on(t.ownerId, t.alias),
    index("triggers_owner_blueprint_idx").on(t.ownerId, t.blueprintId, t.id),
    index("triggers_bot_idx").on(t.botId),
    // paused triggers are left out: their next run stays where it was and would head every walk
    index("triggers_due_idx")
      .on(t.nextTriggerAt)
      .where(sql`${t.nextTriggerAt} is not null and ${t.pausedAt} is null`),
    // a crowded schedule tick walks owners with schedules (a skip scan), then each one's due ones
    index("triggers_owner_due_idx")
      .on(t.ownerId, t.nextTriggerAt)
      .where(sql`${t.nextTriggerAt} is not null and ${t.pausedAt} is null`),
  ],
);

export const contacts = pgTable(
  "contacts",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    name: text("name"),
    email: text("email"),
    phone: text("phone"),
    meta: meta(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("contacts_owner_idx").on(t.ownerId, t.id),
    uniqueIndex("contacts_owner_email_uq")
      .on(t.ownerId, t.email)
      .where(sql`${t.email} is not null`),
    uniqueIndex("contacts_owner_phone_uq")
      .on(t.ownerId, t.phone)
      .where(sql`${t.phone} is not null`),
    // a contact known by name alone (contact.name without email or phone)
    uniqueIndex("contacts_owner_name_only_uq")
      .on(t.ownerId, t.name)
      .where(sql`${t.email} is null and ${t.phone} is null and ${t.name} is not null`),
  ],
);

export const conversations = pgTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    // No foreign key: conversations outlive the trigger that started them.
    triggerId: text("trigger_id"),
    botId: text("bot_id"),
    contactId: text("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    sessionKey: text("session_key"),
    name: text("name"),
    meta: meta(),
    lastActivityAt: ts("last_activity_at").notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("conversations_owner_idx").on(t.ownerId, t.id),
    index("conversations_owner_trigger_idx").on(t.ownerId, t.triggerId, t.id),
    index("conversations_owner_bot_idx").on(t.ownerId, t.botId, t.id),
    index("conversations_session_idx").on(t.triggerId, t.sessionKey, t.lastActivityAt),
  ],
);

export type MessageType = "user" | "bot" | "activity";

export const messages = pgTable(
  "messages",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id").notNull(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    eventId: text("event_id"),
    type: text("type").$type<MessageType>().notNull(),
    text: text("text").notNull(),
    meta: meta(),
    createdAt: createdAt(),
  },
  (t) => [
    index("messages_conversation_idx").on(t.conversationId, t.id),
    // processing is retried; a step's message is recorded once per event
    uniqueIndex("messages_event_step_uq")
      .on(t.eventId, t.type, sql`(${t.meta}->>'step')`)
      .where(sql`${t.eventId} is not null`),
  ],
);

export type EventKind = "event" | "invoke" | "schedule";
/** `batched`: in another event's run (its batch), finishing with it. */
export type EventStatus =
  | "queued"
  | "processing"
  | "waiting"
  | "batched"
  | "completed"
  | "failed"
  | "cancelled"
  | "filtered";

/**
 * A run that stopped to wait (an ability call awaits a decision): what the model was sent and
 * answered so far, so any server can resume it (lib/processing/suspend.ts).
 */
export type RunState = {
  /** The model's and the tools' messages since the event's user message (AI SDK ModelMessage). */
  messages: unknown[];
  /** Model steps taken so far (maxIterations counts them all). */
  steps: number;
  /** Tool calls recorded so far (their activity steps continue from here). */
  toolCalls: number;
  /** The model's ids of the calls the run waits on. */
  awaiting: string[];
};

export const triggerEvents = pgTable(
  "trigger_events",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id").notNull(),
    triggerId: text("trigger_id")
      .notNull()
      .references(() => triggers.id, { onDelete: "cascade" }),
    kind: text("kind").$type<EventKind>().notNull(),
    status: text("status").$type<EventStatus>().notNull().default("queued"),
    payload: jsonb("payload"),
    contentType: text("content_type"),
    /** The request headers worth keeping (never credentials or signatures): lib/events/headers.ts. */
    headers: jsonb("headers").$type<Record<string, string>>(),
    sessionKey: text("session_key"),
    contact: jsonb("contact").$type<{ name?: string; email?: string; phone?: string }>(),
    idempotencyKey: text("idempotency_key"),
    /** The batch it waits in (the trigger's batch key for it), while queued for a batch. */
    batchKey: text("batch_key"),
    /** The event whose run it went into (that event's own id for the run's first event). */
    batchId: text("batch_id"),
    /** A CloudEvent's context attributes (id, source, type, ...), when the delivery was one. */
    cloudEvent: jsonb("cloud_event").$type<Record<string, unknown>>(),
    scheduledFor: ts("scheduled_for"),
    replayOf: text("replay_of"),
    /**
     * Whether the trigger authenticated the sender when the event arrived (an invoke or a schedule
     * is the owner's own); null for events stored before this was kept. What the payload names
     * (a callback's response_url) is believed only from a verified sender.
     */
    senderVerified: boolean("sender_verified"),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
    /** What kind of failure `error` is, for clients that act on it (filter_limit, filter_error, ...). */
    errorCode: text("error_code"),
    conversationId: text("conversation_id"),
    /** Set while the event is `waiting`: the run so far, resumed once every pending call is decided. */
    runState: jsonb("run_state").$type<RunState>(),
    /** Model tokens the run used (summed over its model calls); null: no model call reported any. */
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    dispatchedAt: ts("dispatched_at"),
    lockedUntil: ts("locked_until"),
    startedAt: ts("started_at"),
    completedAt: ts("completed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("trigger_events_trigger_idx").on(t.triggerId, t.id),
    index("trigger_events_pending_idx")
      .on(t.status, t.id)
      .where(sql`${t.status} in ('queued', 'processing')`),
    // the fair claim walks owners with pending events (a skip scan of this index)
    index("trigger_events_owner_pending_idx")
      .on(t.ownerId, t.id)
      .where(sql`${t.status} in ('queued', 'processing')`),
    // the claim query's "no earlier pending event in this session" check
    index("trigger_events_session_pending_idx")
      .on(t.triggerId, t.sessionKey, t.id)
      .where(sql`${t.status} in ('queued', 'processing')`),
    // a conversation list row shows its latest event
    index("trigger_events_conversation_idx")
      .on(t.conversationId, t.id)
      .where(sql`${t.conversationId} is not null`),
    // bulk replay leaves out events replayed already
    index("trigger_events_replay_of_idx")
      .on(t.replayOf)
      .where(sql`${t.replayOf} is not null`),
    uniqueIndex("trigger_events_idempotency_uq")
      .on(t.triggerId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    uniqueIndex("trigger_events_schedule_uq")
      .on(t.triggerId, t.scheduledFor)
      .where(sql`${t.scheduledFor} is not null`),
    // a batch's events: the queued ones of one key (held for the window), the run's members
    index("trigger_events_batch_key_idx")
      .on(t.triggerId, t.batchKey, t.id)
      .where(sql`${t.status} = 'queued' and ${t.batchKey} is not null`),
    index("trigger_events_batch_idx")
      .on(t.batchId)
      .where(sql`${t.batchId} is not null`),
    // waiting events (the rollup's "still unfinished" scan, the approvals they wait on)
    index("trigger_events_waiting_idx")
      .on(t.id)
      .where(sql`${t.status} = 'waiting'`),
    // the account overview's latest failures
    index("trigger_events_owner_failed_idx")
      .on(t.ownerId, t.id)
      .where(sql`${t.status} = 'failed'`),
  ],
);

export type ApprovalStatus = "pending" | "approved" | "denied" | "expired" | "cancelled";

export type NotificationType =
  "event.failed" | "event.completed" | "approval.requested" | "budget.exceeded" | "trigger.paused";

/** An account's webhook for what happens to its triggers, signed with Standard Webhooks. */
export const notificationEndpoints = pgTable(
  "notification_endpoints",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    url: text("url").notNull(),
    description: text("description"),
    events: jsonb("events").$type<NotificationType[]>().notNull(),
    /** The Standard Webhooks secret (whsec_...), encrypted. */
    secretEnc: text("secret_enc").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** Why it was turned off (24 hours of failed deliveries), for the dashboard's notice. */
    disabledReason: text("disabled_reason"),
    /** The first failed delivery since the last one that went through. */
    failingSince: ts("failing_since"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("notification_endpoints_owner_idx").on(t.ownerId, t.id)],
);

export type OutboxKind = "reply" | "notification";
export type OutboxStatus = "pending" | "delivered" | "failed";

/**
 * What leaves the server after a run: a reply to the event's source, a notification. Written in
 * the transaction that decides it (once: dedupe_key), delivered by lib/outbox with retries.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    kind: text("kind").$type<OutboxKind>().notNull(),
    /** The reply target's type, or the notification's type. */
    type: text("type").notNull(),
    triggerId: text("trigger_id"),
    eventId: text("event_id"),
    conversationId: text("conversation_id"),
    endpointId: text("endpoint_id").references(() => notificationEndpoints.id, {
      onDelete: "cascade",
    }),
    /** What is sent (the reply text and status, or the notification's data). */
    body: jsonb("body").$type<Record<string, unknown>>().notNull(),
    /** One row per thing: `reply:<event id>`, `<type>:<event id>:<endpoint id>`, ... */
    dedupeKey: text("dedupe_key").notNull(),
    status: text("status").$type<OutboxStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lockedUntil: ts("locked_until"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    deliveredAt: ts("delivered_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("outbox_dedupe_uq").on(t.dedupeKey),
    index("outbox_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    // the fair claim walks owners with pending rows (a skip scan), then each one's due rows
    index("outbox_owner_due_idx")
      .on(t.ownerId, t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("outbox_endpoint_idx").on(t.endpointId, t.id),
    index("outbox_event_idx").on(t.eventId),
  ],
);

/** An ability call that waits for (or got) a person's decision before it runs. */
export const approvals = pgTable(
  "approvals",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    triggerId: text("trigger_id")
      .notNull()
      .references(() => triggers.id, { onDelete: "cascade" }),
    eventId: text("event_id")
      .notNull()
      .references(() => triggerEvents.id, { onDelete: "cascade" }),
    conversationId: text("conversation_id"),
    /** The AI SDK's approval id and the model's tool call id, to answer the call on resume. */
    sdkApprovalId: text("sdk_approval_id").notNull(),
    toolCallId: text("tool_call_id").notNull(),
    tool: text("tool").notNull(),
    abilityId: text("ability_id"),
    effect: text("effect").$type<AbilityEffect>().notNull(),
    /** The call's input, as validated against the tool's schema. */
    input: jsonb("input").$type<Record<string, unknown>>().notNull(),
    /** What the model wrote before the call (its reasoning in the open). */
    text: text("text"),
    status: text("status").$type<ApprovalStatus>().notNull().default("pending"),
    note: text("note"),
    decidedBy: text("decided_by"),
    decidedAt: ts("decided_at"),
    expiresAt: ts("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("approvals_owner_idx").on(t.ownerId, t.id),
    index("approvals_event_idx").on(t.eventId),
    uniqueIndex("approvals_event_call_uq").on(t.eventId, t.toolCallId),
    index("approvals_pending_idx")
      .on(t.expiresAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * Events per trigger, hour (of arrival) and status, rolled up from
 * trigger_events by the runner's tick (lib/stats/rollup.ts) so that charts
 * read a few hundred rows whatever the history; the hours after the rollup's
 * watermark are read live.
 */
export const eventStatsHourly = pgTable(
  "event_stats_hourly",
  {
    triggerId: text("trigger_id")
      .notNull()
      .references(() => triggers.id, { onDelete: "cascade" }),
    ownerId: text("owner_id").notNull(),
    hour: ts("hour").notNull(),
    status: text("status").$type<EventStatus>().notNull(),
    events: integer("events").notNull(),
    /** Of those, the events that were a run of their own or led one (not taken into another's batch). */
    runs: integer("runs").notNull().default(0),
    /** End-to-end latency (arrival to final status) counts per bucket of LATENCY_BUCKETS_MS. */
    latencyBuckets: integer("latency_buckets").array().notNull(),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.triggerId, t.hour, t.status] }),
    index("event_stats_hourly_owner_idx").on(t.ownerId, t.hour),
  ],
);

/**
 * The open hour's closed minutes, per trigger, minute (of arrival) and status:
 * rolled every minute (lib/stats/rollup.ts) so that a chart reads at most the
 * current minute live, whatever the rate. Rows before the hourly watermark are
 * dropped when their hour is rolled into event_stats_hourly.
 */
export const eventStatsMinutely = pgTable(
  "event_stats_minutely",
  {
    triggerId: text("trigger_id")
      .notNull()
      .references(() => triggers.id, { onDelete: "cascade" }),
    ownerId: text("owner_id").notNull(),
    minute: ts("minute").notNull(),
    status: text("status").$type<EventStatus>().notNull(),
    events: integer("events").notNull(),
    runs: integer("runs").notNull(),
    latencyBuckets: integer("latency_buckets").array().notNull(),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull(),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.triggerId, t.minute, t.status] }),
    index("event_stats_minutely_owner_idx").on(t.ownerId, t.minute),
  ],
);

/** event_stats_hourly summed per UTC day (for the day holding the watermark: its hours rolled up so far). */
export const eventStatsDaily = pgTable(
  "event_stats_daily",
  {
    triggerId: text("trigger_id")
      .notNull()
      .references(() => triggers.id, { onDelete: "cascade" }),
    ownerId: text("owner_id").notNull(),
    day: ts("day").notNull(),
    status: text("status").$type<EventStatus>().notNull(),
    events: integer("events").notNull(),
    runs: integer("runs").notNull().default(0),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.triggerId, t.day, t.status] }),
    index("event_stats_daily_owner_idx").on(t.ownerId, t.day),
  ],
);

/** How far each rollup has got: every hour (or minute) before `through` is rolled up. */
export const rollupWatermarks = pgTable("rollup_watermarks", {
  name: text("name").primaryKey(),
  through: ts("through").notNull(),
});

/** What a dry run changes for itself; absent: the trigger's and bot's own. */
export type DryRunOverrides = {
  model?: string;
  backstory?: string | null;
  prompt?: string | null;
  abilities?: TriggerAbilities | null;
  maxIterations?: number | null;
  /** Calls no recording answers may run live when the tool only reads. */
  liveReads?: boolean;
};

/** How a dry run's tool call was answered: from the original run, not at all, live, or refused. */
export type DryRunAnswer = "recorded" | "not_recorded" | "live" | "refused";

export type DryRunToolCall = {
  name: string;
  input: unknown;
  output?: unknown;
  error?: string | null;
  answer: DryRunAnswer;
  /** A real run would have held this call for a person's decision (the trigger's approval). */
  wouldNeedApproval: boolean;
  durationMs: number;
};

/** A tool call a run made, as a dry run answers from it. */
export type Recording = { name: string; input: unknown; output?: unknown; error?: string | null };

/** The parts of an event a run reads, kept with a test case so it outlives the event. */
export type EventSnapshot = {
  id: string;
  kind: EventKind;
  payload: unknown;
  contentType: string | null;
  headers: Record<string, string> | null;
  contact: { name?: string; email?: string; phone?: string } | null;
  sessionKey: string | null;
  cloudEvent: Record<string, unknown> | null;
  scheduledFor: string | null;
  createdAt: string;
};

export type Expectation =
  | { type: "reply_contains"; value: string }
  | { type: "reply_not_contains"; value: string }
  | { type: "reply_matches"; pattern: string }
  | { type: "tool_called"; tool: string; input?: Record<string, unknown> }
  | { type: "tool_not_called"; tool: string };

export type ExpectationResult = Expectation & { passed: boolean; detail: string };

export type TestCaseResult = {
  caseId: string;
  name: string;
  dryRunId: string | null;
  passed: boolean;
  error: string | null;
  reply: string | null;
  expectations: ExpectationResult[];
};

/**
 * A dry run: the bot run again on a stored event with the changes asked for, every ability call
 * answered from the original run's recordings (or live, for reads, when allowed). It changes
 * nothing else and is kept for 7 days.
 */
export const dryRuns = pgTable(
  "dry_runs",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    triggerId: text("trigger_id")
      .notNull()
      .references(() => triggers.id, { onDelete: "cascade" }),
    /** The stored event it ran on (no foreign key: the event may be gone when a test case runs). */
    eventId: text("event_id").notNull(),
    testCaseId: text("test_case_id"),
    testRunId: text("test_run_id"),
    overrides: jsonb("overrides").$type<DryRunOverrides>().notNull(),
    status: text("status").$type<"completed" | "failed">().notNull(),
    model: text("model").notNull(),
    reply: text("reply"),
    error: text("error"),
    toolCalls: jsonb("tool_calls").$type<DryRunToolCall[]>().notNull(),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    durationMs: integer("duration_ms").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [
    index("dry_runs_event_idx").on(t.triggerId, t.eventId, t.id),
    index("dry_runs_expires_idx").on(t.expiresAt),
  ],
);

/** A stored event kept with what its run should do, run as a dry run on demand. */
export const testCases = pgTable(
  "test_cases",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    triggerId: text("trigger_id")
      .notNull()
      .references(() => triggers.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    name: text("name").notNull(),
    event: jsonb("event").$type<EventSnapshot>().notNull(),
    /** The conversation's earlier turns the original run read. */
    history: jsonb("history").$type<{ type: string; text: string }[]>().notNull(),
    recordings: jsonb("recordings").$type<Recording[]>().notNull(),
    /** The original run's reply, for comparison. */
    originalReply: text("original_reply"),
    expectations: jsonb("expectations").$type<Expectation[]>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("test_cases_trigger_idx").on(t.triggerId, t.id)],
);

/** interrupted: its request went away, or its server stopped, before every case ran. */
export type TestRunStatus = "running" | "passed" | "failed" | "interrupted";

/** One run of a trigger's test cases, with the result of every expectation. */
export const testRuns = pgTable(
  "test_runs",
  {
    id: text("id").primaryKey(),
    ownerId: ownerId(),
    triggerId: text("trigger_id")
      .notNull()
      .references(() => triggers.id, { onDelete: "cascade" }),
    overrides: jsonb("overrides").$type<DryRunOverrides>().notNull(),
    status: text("status").$type<TestRunStatus>().notNull(),
    passed: integer("passed").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    results: jsonb("results").$type<TestCaseResult[]>().notNull(),
    createdAt: createdAt(),
    finishedAt: ts("finished_at"),
  },
  (t) => [index("test_runs_trigger_idx").on(t.triggerId, t.id)],
);

export type User = typeof users.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type Blueprint = typeof blueprints.$inferSelect;
export type Skillset = typeof skillsets.$inferSelect;
export type Ability = typeof abilities.$inferSelect;
export type Bot = typeof bots.$inferSelect;
export type Trigger = typeof triggers.$inferSelect;
export type Contact = typeof contacts.$inferSelect;
export type Conversation = typeof conversations.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type TriggerEvent = typeof triggerEvents.$inferSelect;
export type Approval = typeof approvals.$inferSelect;
export type NotificationEndpoint = typeof notificationEndpoints.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
export type DryRun = typeof dryRuns.$inferSelect;
export type TestCase = typeof testCases.$inferSelect;
export type TestRun = typeof testRuns.$inferSelect;

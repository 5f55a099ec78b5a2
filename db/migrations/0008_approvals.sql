CREATE TABLE "approvals" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"trigger_id" text NOT NULL,
	"event_id" text NOT NULL,
	"conversation_id" text,
	"sdk_approval_id" text NOT NULL,
	"tool_call_id" text NOT NULL,
	"tool" text NOT NULL,
	"ability_id" text,
	"effect" text NOT NULL,
	"input" jsonb NOT NULL,
	"text" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"note" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "abilities" ADD COLUMN "effect" text DEFAULT 'write' NOT NULL;--> statement-breakpoint
ALTER TABLE "trigger_events" ADD COLUMN "run_state" jsonb;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "abilities" jsonb DEFAULT '"all"'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "approval" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "approval_timeout" integer DEFAULT 86400000 NOT NULL;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_trigger_id_triggers_id_fk" FOREIGN KEY ("trigger_id") REFERENCES "public"."triggers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_event_id_trigger_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."trigger_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approvals_owner_idx" ON "approvals" USING btree ("owner_id","id");--> statement-breakpoint
CREATE INDEX "approvals_event_idx" ON "approvals" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_event_call_uq" ON "approvals" USING btree ("event_id","tool_call_id");--> statement-breakpoint
CREATE INDEX "approvals_pending_idx" ON "approvals" USING btree ("expires_at") WHERE "approvals"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "trigger_events_waiting_idx" ON "trigger_events" USING btree ("id") WHERE "trigger_events"."status" = 'waiting';--> statement-breakpoint
UPDATE "abilities" SET "effect" = 'read' WHERE "kind" = 'http_request' AND coalesce("config"->>'method', 'GET') = 'GET';

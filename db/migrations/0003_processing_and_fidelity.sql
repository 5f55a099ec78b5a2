ALTER TABLE "abilities" ADD COLUMN "input_schema" jsonb;--> statement-breakpoint
ALTER TABLE "trigger_events" ADD COLUMN "headers" jsonb;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "prompt" text;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "max_iterations" integer DEFAULT 6 NOT NULL;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "max_time" integer DEFAULT 60000 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_owner_name_only_uq" ON "contacts" USING btree ("owner_id","name") WHERE "contacts"."email" is null and "contacts"."phone" is null and "contacts"."name" is not null;--> statement-breakpoint
CREATE INDEX "trigger_events_owner_pending_idx" ON "trigger_events" USING btree ("owner_id","id") WHERE "trigger_events"."status" in ('queued', 'processing');
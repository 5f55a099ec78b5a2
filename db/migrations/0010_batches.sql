ALTER TABLE "event_stats_daily" ADD COLUMN "runs" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "event_stats_hourly" ADD COLUMN "runs" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "trigger_events" ADD COLUMN "batch_key" text;--> statement-breakpoint
ALTER TABLE "trigger_events" ADD COLUMN "batch_id" text;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "batch" jsonb;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "on_busy" text DEFAULT 'queue' NOT NULL;--> statement-breakpoint
CREATE INDEX "trigger_events_batch_key_idx" ON "trigger_events" USING btree ("trigger_id","batch_key","id") WHERE "trigger_events"."status" = 'queued' and "trigger_events"."batch_key" is not null;--> statement-breakpoint
CREATE INDEX "trigger_events_batch_idx" ON "trigger_events" USING btree ("batch_id") WHERE "trigger_events"."batch_id" is not null;--> statement-breakpoint
-- every event before batches was a run of its own
UPDATE "event_stats_hourly" SET "runs" = "events";--> statement-breakpoint
UPDATE "event_stats_daily" SET "runs" = "events";

ALTER TABLE "triggers" ADD COLUMN "verification" jsonb DEFAULT '{"type":"bearer"}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "verification_secret_enc" text;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "filter" text;--> statement-breakpoint
CREATE INDEX "trigger_events_replay_of_idx" ON "trigger_events" USING btree ("replay_of") WHERE "trigger_events"."replay_of" is not null;
CREATE TABLE "event_stats_daily" (
	"trigger_id" text NOT NULL,
	"owner_id" text NOT NULL,
	"day" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"events" integer NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "event_stats_daily_trigger_id_day_status_pk" PRIMARY KEY("trigger_id","day","status")
);
--> statement-breakpoint
CREATE TABLE "event_stats_hourly" (
	"trigger_id" text NOT NULL,
	"owner_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"events" integer NOT NULL,
	"latency_buckets" integer[] NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "event_stats_hourly_trigger_id_hour_status_pk" PRIMARY KEY("trigger_id","hour","status")
);
--> statement-breakpoint
CREATE TABLE "rollup_watermarks" (
	"name" text PRIMARY KEY NOT NULL,
	"through" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "trigger_events" ADD COLUMN "input_tokens" integer;--> statement-breakpoint
ALTER TABLE "trigger_events" ADD COLUMN "output_tokens" integer;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "monthly_token_budget" bigint;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "tokens_used" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "tokens_month" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "event_stats_daily" ADD CONSTRAINT "event_stats_daily_trigger_id_triggers_id_fk" FOREIGN KEY ("trigger_id") REFERENCES "public"."triggers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_stats_hourly" ADD CONSTRAINT "event_stats_hourly_trigger_id_triggers_id_fk" FOREIGN KEY ("trigger_id") REFERENCES "public"."triggers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_stats_daily_owner_idx" ON "event_stats_daily" USING btree ("owner_id","day");--> statement-breakpoint
CREATE INDEX "event_stats_hourly_owner_idx" ON "event_stats_hourly" USING btree ("owner_id","hour");--> statement-breakpoint
CREATE INDEX "trigger_events_owner_failed_idx" ON "trigger_events" USING btree ("owner_id","id") WHERE "trigger_events"."status" = 'failed';
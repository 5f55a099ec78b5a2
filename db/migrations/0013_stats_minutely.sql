CREATE TABLE "event_stats_minutely" (
	"trigger_id" text NOT NULL,
	"owner_id" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"events" integer NOT NULL,
	"runs" integer NOT NULL,
	"latency_buckets" integer[] NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	CONSTRAINT "event_stats_minutely_trigger_id_minute_status_pk" PRIMARY KEY("trigger_id","minute","status")
);
--> statement-breakpoint
ALTER TABLE "event_stats_minutely" ADD CONSTRAINT "event_stats_minutely_trigger_id_triggers_id_fk" FOREIGN KEY ("trigger_id") REFERENCES "public"."triggers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_stats_minutely_owner_idx" ON "event_stats_minutely" USING btree ("owner_id","minute");
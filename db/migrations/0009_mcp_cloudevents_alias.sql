ALTER TABLE "abilities" ADD COLUMN "tools" jsonb;--> statement-breakpoint
ALTER TABLE "abilities" ADD COLUMN "tools_discovered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "blueprints" ADD COLUMN "alias" text;--> statement-breakpoint
ALTER TABLE "bots" ADD COLUMN "alias" text;--> statement-breakpoint
ALTER TABLE "skillsets" ADD COLUMN "alias" text;--> statement-breakpoint
ALTER TABLE "trigger_events" ADD COLUMN "cloud_event" jsonb;--> statement-breakpoint
ALTER TABLE "triggers" ADD COLUMN "alias" text;--> statement-breakpoint
CREATE UNIQUE INDEX "blueprints_owner_alias_uq" ON "blueprints" USING btree ("owner_id","alias");--> statement-breakpoint
CREATE UNIQUE INDEX "bots_owner_alias_uq" ON "bots" USING btree ("owner_id","alias");--> statement-breakpoint
CREATE UNIQUE INDEX "skillsets_owner_alias_uq" ON "skillsets" USING btree ("owner_id","alias");--> statement-breakpoint
CREATE UNIQUE INDEX "triggers_owner_alias_uq" ON "triggers" USING btree ("owner_id","alias");
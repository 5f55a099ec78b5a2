DROP INDEX "triggers_due_idx";--> statement-breakpoint
CREATE INDEX "outbox_owner_due_idx" ON "outbox" USING btree ("owner_id","next_attempt_at") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "triggers_due_idx" ON "triggers" USING btree ("next_trigger_at") WHERE "triggers"."next_trigger_at" is not null and "triggers"."paused_at" is null;
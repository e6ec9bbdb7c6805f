-- Redemption keys belong to their sender (an API key or a login), as activity receipts do since 0014.
-- Redemptions made before keep sent_by 'server', which redeem_reward answers to any sender, so a
-- till retrying a key from before this migration replays instead of redeeming twice.
DROP INDEX "redemptions_idempotency_key";--> statement-breakpoint
ALTER TABLE "redemptions" ADD COLUMN "sent_by" text DEFAULT 'server' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "redemptions_idempotency_key" ON "redemptions" USING btree ("member_id","sent_by","idempotency_key");
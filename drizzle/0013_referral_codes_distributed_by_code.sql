DROP INDEX "referral_codes_member_key";--> statement-breakpoint
CREATE INDEX "referral_codes_member_idx" ON "referral_codes" USING btree ("member_id");
ALTER TABLE "rewards" ADD COLUMN "valid_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rewards" ADD COLUMN "valid_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rewards" ADD COLUMN "tiers" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "rewards" ADD COLUMN "image_url" text;
ALTER TABLE "activity_receipts" ADD COLUMN "sent_by" text DEFAULT 'server' NOT NULL;--> statement-breakpoint
ALTER TABLE "activity_receipts" ADD COLUMN "request_hash" text;--> statement-breakpoint
ALTER TABLE "activity_receipts" DROP CONSTRAINT "activity_receipts_source_idempotency_key_pk";--> statement-breakpoint
ALTER TABLE "activity_receipts" ADD CONSTRAINT "activity_receipts_sent_by_source_idempotency_key_pk" PRIMARY KEY("sent_by","source","idempotency_key");

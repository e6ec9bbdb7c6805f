CREATE TABLE "unlinked_sales" (
	"sent_by" text NOT NULL,
	"source" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"store_id" uuid,
	"channel" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"total_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	CONSTRAINT "unlinked_sales_sent_by_source_idempotency_key_pk" PRIMARY KEY("sent_by","source","idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "scorecard_targets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"store_id" uuid NOT NULL,
	"dimension" text NOT NULL,
	"key" text NOT NULL,
	"figure" text NOT NULL,
	"monthly" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "scorecard_targets_monthly_positive" CHECK ("scorecard_targets"."monthly" > 0)
);
--> statement-breakpoint
ALTER TABLE "member_insights" ADD COLUMN "drifting_after" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "unlinked_sales_occurred_idx" ON "unlinked_sales" USING btree ("occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "scorecard_targets_who_figure_key" ON "scorecard_targets" USING btree ("dimension","key","figure");
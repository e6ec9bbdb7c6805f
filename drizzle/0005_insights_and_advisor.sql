CREATE TABLE "conversations" (
	"member_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"associate_id" uuid NOT NULL,
	"associate_email" text NOT NULL,
	"store_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"summary" text NOT NULL,
	"outcome" text NOT NULL,
	CONSTRAINT "conversations_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
CREATE TABLE "follow_ups" (
	"member_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"assignee_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"done_at" timestamp with time zone,
	"outcome" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "follow_ups_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
CREATE TABLE "member_notes" (
	"member_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"author_name" text NOT NULL,
	"store_id" uuid,
	"body" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"shareable" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "member_notes_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
CREATE TABLE "popular_items" (
	"key" text PRIMARY KEY NOT NULL,
	"items" jsonb NOT NULL,
	"trained_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suggestion_feedback" (
	"member_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"sku" text NOT NULL,
	"event" text NOT NULL,
	"surface" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "suggestion_feedback_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
CREATE TABLE "suggestion_lists" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"items" jsonb NOT NULL,
	"trained_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "taste_preferences" (
	"member_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject" text NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "taste_preferences_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
CREATE TABLE "insights_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"seconds" real NOT NULL,
	"members" integer NOT NULL,
	"models" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insights_settings" (
	"id" text PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "member_insights" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"score" integer NOT NULL,
	"parts" jsonb NOT NULL,
	"segment" text,
	"home_store_id" uuid,
	"joined_month" date NOT NULL,
	"joined_channel" text,
	"main_channel" text,
	"channels" integer NOT NULL,
	"orders" integer NOT NULL,
	"spend_minor" bigint NOT NULL,
	"first_purchase_at" timestamp with time zone,
	"last_purchase_at" timestamp with time zone,
	"repeat_purchases" integer,
	"recency_weeks" double precision,
	"age_weeks" double precision,
	"avg_repeat_value_minor" double precision,
	"p_alive" real,
	"expected_purchases" real,
	"clv_minor" bigint
);
--> statement-breakpoint
CREATE TABLE "member_score_history" (
	"member_id" uuid NOT NULL,
	"month" date NOT NULL,
	"score" integer NOT NULL,
	CONSTRAINT "member_score_history_member_id_month_pk" PRIMARY KEY("member_id","month")
);
--> statement-breakpoint
CREATE TABLE "member_segments" (
	"member_id" uuid NOT NULL,
	"quarter" date NOT NULL,
	"segment" text NOT NULL,
	"lean" text,
	"orders" integer NOT NULL,
	"promo_share" real,
	"participation" integer NOT NULL,
	CONSTRAINT "member_segments_member_id_quarter_pk" PRIMARY KEY("member_id","quarter")
);
--> statement-breakpoint
CREATE TABLE "retention_cells" (
	"cohort_month" date NOT NULL,
	"joined_channel" text NOT NULL,
	"home_store_id" uuid,
	"omni" boolean NOT NULL,
	"months_after" integer NOT NULL,
	"active_members" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales_months" (
	"month" date NOT NULL,
	"dimension" text NOT NULL,
	"key" text NOT NULL,
	"sales_minor" bigint NOT NULL,
	"orders" integer NOT NULL,
	"members" integer NOT NULL,
	CONSTRAINT "sales_months_month_dimension_key_pk" PRIMARY KEY("month","dimension","key")
);
--> statement-breakpoint
CREATE TABLE "segment_counts" (
	"quarter" date NOT NULL,
	"home_store_id" uuid,
	"main_channel" text,
	"segment" text NOT NULL,
	"members" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "segment_moves" (
	"quarter" date NOT NULL,
	"home_store_id" uuid,
	"main_channel" text,
	"from_segment" text NOT NULL,
	"to_segment" text NOT NULL,
	"members" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "added_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "conversations_associate_idx" ON "conversations" USING btree ("associate_email","at");--> statement-breakpoint
CREATE INDEX "follow_ups_open_idx" ON "follow_ups" USING btree ("assignee_id","due_on") WHERE "follow_ups"."done_at" is null;--> statement-breakpoint
CREATE INDEX "member_notes_author_idx" ON "member_notes" USING btree ("author_id","created_at");--> statement-breakpoint
CREATE INDEX "suggestion_feedback_member_sku_idx" ON "suggestion_feedback" USING btree ("member_id","sku");--> statement-breakpoint
CREATE INDEX "member_insights_segment_idx" ON "member_insights" USING btree ("segment");--> statement-breakpoint
CREATE INDEX "member_insights_store_idx" ON "member_insights" USING btree ("home_store_id");--> statement-breakpoint
CREATE INDEX "member_segments_quarter_idx" ON "member_segments" USING btree ("quarter","segment");--> statement-breakpoint
CREATE INDEX "retention_cells_cohort_idx" ON "retention_cells" USING btree ("cohort_month");--> statement-breakpoint
CREATE INDEX "segment_counts_quarter_idx" ON "segment_counts" USING btree ("quarter");--> statement-breakpoint
CREATE INDEX "segment_moves_quarter_idx" ON "segment_moves" USING btree ("quarter");
CREATE TABLE "moderation_bans" (
	"member_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"store_id" uuid,
	"reason" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"banned_by" uuid NOT NULL,
	"lifted_at" timestamp with time zone,
	"lifted_by" uuid,
	CONSTRAINT "moderation_bans_member_id_id_pk" PRIMARY KEY("member_id","id"),
	CONSTRAINT "moderation_bans_ends_after_start" CHECK ("moderation_bans"."ends_at" is null or "moderation_bans"."ends_at" > "moderation_bans"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "moderation_items" (
	"kind" text NOT NULL,
	"content_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"store_id" uuid,
	"status" text NOT NULL,
	"reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"text" text NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"decision" text,
	CONSTRAINT "moderation_items_kind_content_id_pk" PRIMARY KEY("kind","content_id")
);
--> statement-breakpoint
CREATE TABLE "moderation_post_counts" (
	"member_id" uuid NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"posts" integer NOT NULL,
	CONSTRAINT "moderation_post_counts_member_id_window_start_pk" PRIMARY KEY("member_id","window_start")
);
--> statement-breakpoint
CREATE TABLE "moderation_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"content_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"reported_at" timestamp with time zone NOT NULL,
	"settled_at" timestamp with time zone,
	"outcome" text
);
--> statement-breakpoint
CREATE TABLE "moderation_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"hold_first_posts" integer NOT NULL,
	"rate_posts" integer NOT NULL,
	"rate_minutes" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "moderation_settings_one_row" CHECK ("moderation_settings"."id"),
	CONSTRAINT "moderation_settings_ranges" CHECK ("moderation_settings"."hold_first_posts" between 0 and 100 and "moderation_settings"."rate_posts" between 1 and 1000 and "moderation_settings"."rate_minutes" between 1 and 1440)
);
--> statement-breakpoint
CREATE TABLE "moderation_word_filters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"term" text NOT NULL,
	"normalised" text NOT NULL,
	"action" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "member_notifications" (
	"member_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"link" text,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "member_notifications_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
CREATE TABLE "staff_notifications" (
	"user_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"link" text,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "staff_notifications_user_id_id_pk" PRIMARY KEY("user_id","id")
);
--> statement-breakpoint
CREATE INDEX "moderation_items_member_idx" ON "moderation_items" USING btree ("member_id","status");--> statement-breakpoint
CREATE INDEX "moderation_items_status_idx" ON "moderation_items" USING btree ("status","store_id");--> statement-breakpoint
CREATE UNIQUE INDEX "moderation_reports_one_per_member" ON "moderation_reports" USING btree ("kind","content_id","member_id");--> statement-breakpoint
CREATE INDEX "moderation_reports_open_idx" ON "moderation_reports" USING btree ("kind","content_id") WHERE "moderation_reports"."settled_at" is null;--> statement-breakpoint
CREATE INDEX "moderation_reports_member_idx" ON "moderation_reports" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "moderation_word_filters_normalised_key" ON "moderation_word_filters" USING btree ("normalised");--> statement-breakpoint
CREATE UNIQUE INDEX "member_notifications_key" ON "member_notifications" USING btree ("member_id","key");--> statement-breakpoint
CREATE INDEX "member_notifications_newest_idx" ON "member_notifications" USING btree ("member_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_notifications_key" ON "staff_notifications" USING btree ("user_id","key");--> statement-breakpoint
CREATE INDEX "staff_notifications_newest_idx" ON "staff_notifications" USING btree ("user_id","created_at");
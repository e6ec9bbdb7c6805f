CREATE TABLE "notification_preferences" (
	"member_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"in_app" boolean NOT NULL,
	"email" boolean NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "notification_preferences_member_id_kind_pk" PRIMARY KEY("member_id","kind")
);
--> statement-breakpoint
ALTER TABLE "member_notifications" ADD COLUMN "in_app" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "member_notifications" ADD COLUMN "email_status" text;--> statement-breakpoint
CREATE INDEX "member_notifications_email_due_idx" ON "member_notifications" USING btree ("created_at") WHERE "member_notifications"."email_status" = 'due';
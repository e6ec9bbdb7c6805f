CREATE TABLE "pairwise_choices" (
	"member_id" uuid NOT NULL,
	"poll_id" uuid NOT NULL,
	"option_a" uuid NOT NULL,
	"option_b" uuid NOT NULL,
	"winner_id" uuid,
	"store_id" uuid,
	"answered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pairwise_choices_member_id_poll_id_option_a_option_b_pk" PRIMARY KEY("member_id","poll_id","option_a","option_b"),
	CONSTRAINT "pairwise_choices_ordered" CHECK ("pairwise_choices"."option_a" < "pairwise_choices"."option_b"),
	CONSTRAINT "pairwise_choices_winner" CHECK ("pairwise_choices"."winner_id" is null or "pairwise_choices"."winner_id" in ("pairwise_choices"."option_a", "pairwise_choices"."option_b"))
);
--> statement-breakpoint
CREATE TABLE "poll_answers" (
	"member_id" uuid NOT NULL,
	"poll_id" uuid NOT NULL,
	"option_ids" uuid[] NOT NULL,
	"store_id" uuid,
	"answered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "poll_answers_member_id_poll_id_pk" PRIMARY KEY("member_id","poll_id"),
	CONSTRAINT "poll_answers_some" CHECK (cardinality("poll_answers"."option_ids") > 0)
);
--> statement-breakpoint
CREATE TABLE "poll_options" (
	"id" uuid PRIMARY KEY NOT NULL,
	"poll_id" uuid NOT NULL,
	"label" text NOT NULL,
	"status" text NOT NULL,
	"suggested_by" uuid,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "poll_options_status" CHECK ("poll_options"."status" in ('published', 'pending', 'declined'))
);
--> statement-breakpoint
CREATE TABLE "polls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"question" text NOT NULL,
	"description" text,
	"scope" text NOT NULL,
	"scope_value" text,
	"ends_at" timestamp with time zone NOT NULL,
	"suggestions_open" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "polls_kind" CHECK ("polls"."kind" in ('single', 'multiple', 'pairwise')),
	CONSTRAINT "polls_scope" CHECK ("polls"."scope" in ('retailer', 'region', 'store', 'category')),
	CONSTRAINT "polls_scope_value" CHECK (("polls"."scope" = 'retailer') = ("polls"."scope_value" is null))
);
--> statement-breakpoint
CREATE INDEX "pairwise_choices_poll_idx" ON "pairwise_choices" USING btree ("poll_id");--> statement-breakpoint
CREATE INDEX "poll_answers_poll_idx" ON "poll_answers" USING btree ("poll_id");--> statement-breakpoint
CREATE INDEX "poll_options_poll_idx" ON "poll_options" USING btree ("poll_id","position");--> statement-breakpoint
CREATE INDEX "polls_ends_idx" ON "polls" USING btree ("ends_at");
CREATE TABLE "member_tiers" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"tier" text NOT NULL,
	"score" integer NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"downgrade_at" timestamp with time zone,
	"evaluated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tier_history" (
	"member_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"from_tier" text,
	"to_tier" text NOT NULL,
	"score" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "tier_history_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
CREATE TABLE "tier_policy" (
	"id" text PRIMARY KEY NOT NULL,
	"spend_weight" integer NOT NULL,
	"participation_weight" integer NOT NULL,
	"window_months" integer NOT NULL,
	"grace_days" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tiers" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"threshold" integer NOT NULL,
	"perks" text[] DEFAULT '{}'::text[] NOT NULL
);

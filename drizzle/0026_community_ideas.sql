CREATE TABLE "idea_comments" (
	"idea_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"member_id" uuid,
	"user_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	CONSTRAINT "idea_comments_idea_id_id_pk" PRIMARY KEY("idea_id","id"),
	CONSTRAINT "idea_comments_author" CHECK (("idea_comments"."member_id" is null) <> ("idea_comments"."user_id" is null))
);
--> statement-breakpoint
CREATE TABLE "idea_demand" (
	"idea_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"price_minor" bigint,
	"currency" text NOT NULL,
	"size" text,
	"quantity" integer DEFAULT 1 NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "idea_demand_idea_id_member_id_kind_pk" PRIMARY KEY("idea_id","member_id","kind"),
	CONSTRAINT "idea_demand_quantity" CHECK ("idea_demand"."quantity" between 1 and 999)
);
--> statement-breakpoint
CREATE TABLE "idea_follows" (
	"idea_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"since" timestamp with time zone NOT NULL,
	CONSTRAINT "idea_follows_idea_id_member_id_pk" PRIMARY KEY("idea_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "idea_products" (
	"idea_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idea_products_idea_id_sku_pk" PRIMARY KEY("idea_id","sku")
);
--> statement-breakpoint
CREATE TABLE "idea_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idea_status_changes" (
	"idea_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"by_user_id" uuid,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "idea_status_changes_idea_id_id_pk" PRIMARY KEY("idea_id","id")
);
--> statement-breakpoint
CREATE TABLE "idea_votes" (
	"idea_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"weight" integer NOT NULL,
	"period" text NOT NULL,
	"cast_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"carried_from" uuid,
	CONSTRAINT "idea_votes_idea_id_member_id_pk" PRIMARY KEY("idea_id","member_id"),
	CONSTRAINT "idea_votes_weight" CHECK ("idea_votes"."weight" > 0)
);
--> statement-breakpoint
CREATE TABLE "ideas" (
	"id" uuid PRIMARY KEY NOT NULL,
	"author_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"scope" text NOT NULL,
	"region" text,
	"store_id" uuid,
	"category" text,
	"status" text DEFAULT 'new' NOT NULL,
	"status_reason" text,
	"support" integer DEFAULT 0 NOT NULL,
	"voters" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"status_changed_at" timestamp with time zone NOT NULL,
	"first_answered_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"merged_into" uuid,
	"hidden" boolean DEFAULT false NOT NULL,
	CONSTRAINT "ideas_scope_named" CHECK (("ideas"."scope" <> 'store' or "ideas"."store_id" is not null) and ("ideas"."scope" <> 'region' or "ideas"."region" is not null)
      and ("ideas"."scope" <> 'category' or "ideas"."category" is not null)),
	CONSTRAINT "ideas_declined_reason" CHECK ("ideas"."status" <> 'declined' or "ideas"."status_reason" is not null)
);
--> statement-breakpoint
CREATE INDEX "idea_comments_member_idx" ON "idea_comments" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "idea_demand_member_idx" ON "idea_demand" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "idea_follows_member_idx" ON "idea_follows" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "idea_votes_budget_idx" ON "idea_votes" USING btree ("member_id","period") WHERE "idea_votes"."withdrawn_at" is null and "idea_votes"."returned_at" is null;--> statement-breakpoint
CREATE INDEX "ideas_board_support_idx" ON "ideas" USING btree ("support" DESC NULLS LAST,"id") WHERE not "ideas"."hidden" and "ideas"."status" <> 'merged';--> statement-breakpoint
CREATE INDEX "ideas_board_newest_idx" ON "ideas" USING btree ("created_at" DESC NULLS LAST,"id") WHERE not "ideas"."hidden" and "ideas"."status" <> 'merged';--> statement-breakpoint
CREATE INDEX "ideas_author_idx" ON "ideas" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "ideas_store_idx" ON "ideas" USING btree ("store_id");
CREATE TABLE "product_answers" (
	"sku" text NOT NULL,
	"id" uuid NOT NULL,
	"question_id" uuid NOT NULL,
	"member_id" uuid,
	"author_user_id" uuid,
	"author_name" text,
	"store_name" text,
	"body" text NOT NULL,
	"status" text NOT NULL,
	"activity_id" uuid,
	"staff" boolean DEFAULT false NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "product_answers_sku_id_pk" PRIMARY KEY("sku","id"),
	CONSTRAINT "product_answers_author" CHECK (("product_answers"."member_id" is null) <> ("product_answers"."author_user_id" is null))
);
--> statement-breakpoint
CREATE TABLE "product_questions" (
	"sku" text NOT NULL,
	"id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"body" text NOT NULL,
	"status" text NOT NULL,
	"best_answer_id" uuid,
	"asked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "product_questions_sku_id_pk" PRIMARY KEY("sku","id")
);
--> statement-breakpoint
CREATE TABLE "product_review_replies" (
	"sku" text NOT NULL,
	"id" uuid NOT NULL,
	"review_id" uuid NOT NULL,
	"author_user_id" uuid NOT NULL,
	"author_name" text NOT NULL,
	"store_name" text,
	"body" text NOT NULL,
	"replied_at" timestamp with time zone NOT NULL,
	CONSTRAINT "product_review_replies_sku_id_pk" PRIMARY KEY("sku","id")
);
--> statement-breakpoint
CREATE TABLE "product_review_versions" (
	"sku" text NOT NULL,
	"review_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"member_id" uuid NOT NULL,
	"rating" smallint NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"fit" text,
	"written_at" timestamp with time zone NOT NULL,
	CONSTRAINT "product_review_versions_sku_review_id_version_pk" PRIMARY KEY("sku","review_id","version")
);
--> statement-breakpoint
CREATE TABLE "product_review_votes" (
	"sku" text NOT NULL,
	"review_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"voted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "product_review_votes_sku_review_id_member_id_pk" PRIMARY KEY("sku","review_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "product_reviews" (
	"sku" text NOT NULL,
	"id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"rating" smallint NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"fit" text,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"activity_id" uuid,
	"source" text DEFAULT 'member' NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"edited_at" timestamp with time zone,
	CONSTRAINT "product_reviews_sku_id_pk" PRIMARY KEY("sku","id"),
	CONSTRAINT "product_reviews_rating" CHECK ("product_reviews"."rating" between 1 and 5)
);
--> statement-breakpoint
CREATE INDEX "product_answers_question_idx" ON "product_answers" USING btree ("sku","question_id");--> statement-breakpoint
CREATE INDEX "product_answers_member_idx" ON "product_answers" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "product_questions_member_idx" ON "product_questions" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "product_questions_sku_time_idx" ON "product_questions" USING btree ("sku","asked_at");--> statement-breakpoint
CREATE INDEX "product_review_replies_review_idx" ON "product_review_replies" USING btree ("sku","review_id");--> statement-breakpoint
CREATE INDEX "product_review_versions_member_idx" ON "product_review_versions" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "product_review_votes_member_idx" ON "product_review_votes" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "product_reviews_one_per_member" ON "product_reviews" USING btree ("sku","member_id");--> statement-breakpoint
CREATE INDEX "product_reviews_member_idx" ON "product_reviews" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "product_reviews_sku_time_idx" ON "product_reviews" USING btree ("sku","posted_at");
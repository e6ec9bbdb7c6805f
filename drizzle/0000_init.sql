CREATE TABLE "audit_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text,
	"action" text NOT NULL,
	"target_kind" text NOT NULL,
	"target_id" text,
	"before" jsonb,
	"after" jsonb,
	"request_id" text,
	"member_id" uuid
);
--> statement-breakpoint
CREATE TABLE "outbox_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"member_id" uuid,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"csrf_secret" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"member_id" uuid,
	"store_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"password_changed_at" timestamp with time zone NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "users_member_role" CHECK (("users"."role" = 'member') = ("users"."member_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "activities" (
	"id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"store_id" uuid,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"order_ref" text,
	"return_of" text,
	"total_minor" bigint,
	"currency" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "activities_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
CREATE TABLE "activity_kinds" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_lines" (
	"member_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"discount_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "activity_lines_member_id_activity_id_line_no_pk" PRIMARY KEY("member_id","activity_id","line_no"),
	CONSTRAINT "activity_lines_quantity_nonzero" CHECK ("activity_lines"."quantity" <> 0)
);
--> statement-breakpoint
CREATE TABLE "activity_receipts" (
	"source" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"result" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "activity_receipts_source_idempotency_key_pk" PRIMARY KEY("source","idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "channels" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"unknown_identifier" text DEFAULT 'park' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parked_activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"identifier_kind" text NOT NULL,
	"identifier_value" text NOT NULL,
	"activity" jsonb NOT NULL,
	"parked_at" timestamp with time zone NOT NULL,
	"claimed_by" uuid,
	"claimed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "products" (
	"sku" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"category" text[] DEFAULT '{}'::text[] NOT NULL,
	"brand" text,
	"price_minor" bigint,
	"currency" text DEFAULT 'GBP' NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stores" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"region" text,
	"timezone" text DEFAULT 'UTC' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duplicate_candidates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"member_a" uuid NOT NULL,
	"member_b" uuid NOT NULL,
	"score" real NOT NULL,
	"reasons" text[] NOT NULL,
	"found_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text
);
--> statement-breakpoint
CREATE TABLE "member_merges" (
	"id" uuid PRIMARY KEY NOT NULL,
	"survivor_id" uuid NOT NULL,
	"merged_id" uuid NOT NULL,
	"merged_at" timestamp with time zone NOT NULL,
	"merged_by" text NOT NULL,
	"moved" jsonb NOT NULL,
	"unmerged_at" timestamp with time zone,
	"unmerged_by" text
);
--> statement-breakpoint
CREATE TABLE "member_consents" (
	"member_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"granted" text NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "member_consents_member_id_purpose_pk" PRIMARY KEY("member_id","purpose")
);
--> statement-breakpoint
CREATE TABLE "member_identifiers" (
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"member_id" uuid NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "member_identifiers_kind_value_pk" PRIMARY KEY("kind","value")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" uuid PRIMARY KEY NOT NULL,
	"given_name" text,
	"family_name" text,
	"birth_date" date,
	"email" text,
	"phone" text,
	"address_line" text,
	"postcode" text,
	"city" text,
	"home_store_id" uuid,
	"preferred_channel" text,
	"language" text DEFAULT 'en' NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"joined_channel" text,
	"merged_into" uuid,
	CONSTRAINT "members_not_merged_into_self" CHECK ("members"."merged_into" is distinct from "members"."id")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_entries_target_idx" ON "audit_entries" USING btree ("target_kind","target_id");--> statement-breakpoint
CREATE INDEX "audit_entries_at_idx" ON "audit_entries" USING btree ("at");--> statement-breakpoint
CREATE INDEX "outbox_events_topic_idx" ON "outbox_events" USING btree ("topic","id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "users_member_key" ON "users" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "activities_member_source_key" ON "activities" USING btree ("member_id","source","idempotency_key");--> statement-breakpoint
CREATE INDEX "activities_member_time_idx" ON "activities" USING btree ("member_id","occurred_at");--> statement-breakpoint
CREATE INDEX "activities_occurred_idx" ON "activities" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "activities_member_order_idx" ON "activities" USING btree ("member_id","order_ref");--> statement-breakpoint
CREATE INDEX "activity_lines_sku_idx" ON "activity_lines" USING btree ("sku");--> statement-breakpoint
CREATE INDEX "parked_activities_identifier_idx" ON "parked_activities" USING btree ("identifier_kind","identifier_value") WHERE "parked_activities"."claimed_by" is null;--> statement-breakpoint
CREATE INDEX "products_category_idx" ON "products" USING btree ("category");--> statement-breakpoint
CREATE UNIQUE INDEX "stores_code_key" ON "stores" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "duplicate_candidates_pair_key" ON "duplicate_candidates" USING btree ("member_a","member_b");--> statement-breakpoint
CREATE INDEX "duplicate_candidates_open_idx" ON "duplicate_candidates" USING btree ("status","score");--> statement-breakpoint
CREATE INDEX "member_merges_survivor_idx" ON "member_merges" USING btree ("survivor_id");--> statement-breakpoint
CREATE INDEX "member_merges_merged_idx" ON "member_merges" USING btree ("merged_id");--> statement-breakpoint
CREATE INDEX "member_identifiers_member_idx" ON "member_identifiers" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "members_family_name_idx" ON "members" USING btree ("family_name");--> statement-breakpoint
CREATE INDEX "members_merged_into_idx" ON "members" USING btree ("merged_into");
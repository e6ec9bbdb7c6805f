CREATE TABLE "earning_rules" (
	"id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"document" jsonb NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "earning_rules_id_version_pk" PRIMARY KEY("id","version")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"source_key" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"rule_id" uuid,
	"rule_version" integer,
	"activity_id" uuid,
	"explanation" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "ledger_entries_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
CREATE TABLE "ledger_postings" (
	"member_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"account" text NOT NULL,
	"points" integer NOT NULL,
	CONSTRAINT "ledger_postings_member_id_entry_id_account_pk" PRIMARY KEY("member_id","entry_id","account")
);
--> statement-breakpoint
CREATE TABLE "pending_points" (
	"member_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"points" integer NOT NULL,
	"remaining" integer NOT NULL,
	"release_at" timestamp with time zone NOT NULL,
	"released_at" timestamp with time zone,
	CONSTRAINT "pending_points_member_id_entry_id_pk" PRIMARY KEY("member_id","entry_id")
);
--> statement-breakpoint
CREATE TABLE "points_balances" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"available" integer DEFAULT 0 NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"owed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "points_available_not_negative" CHECK ("points_balances"."available" >= 0),
	CONSTRAINT "points_pending_not_negative" CHECK ("points_balances"."pending" >= 0),
	CONSTRAINT "points_reserved_not_negative" CHECK ("points_balances"."reserved" >= 0),
	CONSTRAINT "points_owed_not_positive" CHECK ("points_balances"."owed" <= 0)
);
--> statement-breakpoint
CREATE TABLE "points_lots" (
	"member_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"earned_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"points" integer NOT NULL,
	"remaining" integer NOT NULL,
	"reminded_at" timestamp with time zone,
	CONSTRAINT "points_lots_member_id_entry_id_pk" PRIMARY KEY("member_id","entry_id"),
	CONSTRAINT "points_lot_remaining" CHECK ("points_lots"."remaining" >= 0 and "points_lots"."remaining" <= "points_lots"."points")
);
--> statement-breakpoint
CREATE TABLE "redemptions" (
	"id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"reward_id" uuid NOT NULL,
	"points" integer NOT NULL,
	"status" text NOT NULL,
	"channel" text NOT NULL,
	"store_code" text,
	"code" text,
	"idempotency_key" text NOT NULL,
	"reserved_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	CONSTRAINT "redemptions_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
CREATE TABLE "rewards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"kind" text NOT NULL,
	"cost" integer NOT NULL,
	"stock" integer,
	"per_member_limit" integer,
	"channels" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" text DEFAULT 'yes' NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_source_key" ON "ledger_entries" USING btree ("member_id","kind","source_key");--> statement-breakpoint
CREATE INDEX "ledger_entries_member_time_idx" ON "ledger_entries" USING btree ("member_id","posted_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_activity_idx" ON "ledger_entries" USING btree ("member_id","activity_id");--> statement-breakpoint
CREATE INDEX "pending_points_due_idx" ON "pending_points" USING btree ("release_at") WHERE "pending_points"."released_at" is null;--> statement-breakpoint
CREATE INDEX "points_lots_expiry_idx" ON "points_lots" USING btree ("expires_at") WHERE "points_lots"."remaining" > 0;--> statement-breakpoint
CREATE UNIQUE INDEX "redemptions_idempotency_key" ON "redemptions" USING btree ("member_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "redemptions_id_idx" ON "redemptions" USING btree ("id");--> statement-breakpoint
CREATE INDEX "redemptions_open_idx" ON "redemptions" USING btree ("expires_at") WHERE "redemptions"."status" = 'reserved';
CREATE TABLE "outbox_consumers" (
	"name" text PRIMARY KEY NOT NULL,
	"seen" text NOT NULL,
	"up_to" text NOT NULL,
	"after_xid" "xid8",
	"after_id" bigint,
	"applied" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "blocks" (
	"member_id" uuid NOT NULL,
	"blocked_id" uuid NOT NULL,
	"blocked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "blocks_member_id_blocked_id_pk" PRIMARY KEY("member_id","blocked_id")
);
--> statement-breakpoint
CREATE TABLE "feed_items" (
	"member_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"event_id" bigint NOT NULL,
	"actor_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"subject" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "feed_items_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
CREATE TABLE "friend_requests" (
	"member_id" uuid NOT NULL,
	"requester_id" uuid NOT NULL,
	"via" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "friend_requests_member_id_requester_id_pk" PRIMARY KEY("member_id","requester_id"),
	CONSTRAINT "friend_requests_not_self" CHECK ("friend_requests"."member_id" <> "friend_requests"."requester_id")
);
--> statement-breakpoint
CREATE TABLE "friendships" (
	"member_id" uuid NOT NULL,
	"friend_id" uuid NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"via" text NOT NULL,
	CONSTRAINT "friendships_member_id_friend_id_pk" PRIMARY KEY("member_id","friend_id"),
	CONSTRAINT "friendships_not_self" CHECK ("friendships"."member_id" <> "friendships"."friend_id")
);
--> statement-breakpoint
CREATE TABLE "list_items" (
	"member_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"list_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"note" text,
	"added_by" uuid,
	"added_at" timestamp with time zone NOT NULL,
	"reserved_by" uuid,
	"reserved_at" timestamp with time zone,
	CONSTRAINT "list_items_member_id_id_pk" PRIMARY KEY("member_id","id"),
	CONSTRAINT "list_items_quantity" CHECK ("list_items"."quantity" between 1 and 99)
);
--> statement-breakpoint
CREATE TABLE "list_shares" (
	"member_id" uuid NOT NULL,
	"list_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"role" text NOT NULL,
	"shared_at" timestamp with time zone NOT NULL,
	CONSTRAINT "list_shares_member_id_list_id_pk" PRIMARY KEY("member_id","list_id")
);
--> statement-breakpoint
CREATE TABLE "lists" (
	"member_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lists_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
CREATE TABLE "people_met" (
	"member_id" uuid NOT NULL,
	"other_id" uuid NOT NULL,
	"source" text NOT NULL,
	"ref" text,
	"met_at" timestamp with time zone NOT NULL,
	CONSTRAINT "people_met_member_id_other_id_source_pk" PRIMARY KEY("member_id","other_id","source")
);
--> statement-breakpoint
CREATE TABLE "shared_items" (
	"member_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"sku" text NOT NULL,
	"activity_id" uuid,
	"list_id" uuid,
	"note" text,
	"shared_at" timestamp with time zone NOT NULL,
	CONSTRAINT "shared_items_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
ALTER TABLE "outbox_events" ADD COLUMN "xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
CREATE INDEX "blocks_blocked_idx" ON "blocks" USING btree ("blocked_id");--> statement-breakpoint
CREATE UNIQUE INDEX "feed_items_event" ON "feed_items" USING btree ("member_id","event_id");--> statement-breakpoint
CREATE INDEX "feed_items_time_idx" ON "feed_items" USING btree ("member_id","occurred_at");--> statement-breakpoint
CREATE INDEX "feed_items_key_idx" ON "feed_items" USING btree ("key");--> statement-breakpoint
CREATE INDEX "friend_requests_requester_idx" ON "friend_requests" USING btree ("requester_id");--> statement-breakpoint
CREATE INDEX "friendships_friend_idx" ON "friendships" USING btree ("friend_id");--> statement-breakpoint
CREATE INDEX "list_items_list_idx" ON "list_items" USING btree ("member_id","list_id");--> statement-breakpoint
CREATE INDEX "list_shares_list_idx" ON "list_shares" USING btree ("owner_id","list_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shared_items_purchase_line" ON "shared_items" USING btree ("member_id","activity_id","sku") WHERE "shared_items"."kind" = 'purchase';--> statement-breakpoint
CREATE INDEX "outbox_events_xid_idx" ON "outbox_events" USING btree ("xid","id");
CREATE TABLE "room_cart_lines" (
	"room_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"added_by" uuid NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "room_cart_lines_room_id_id_pk" PRIMARY KEY("room_id","id"),
	CONSTRAINT "room_cart_lines_quantity" CHECK ("room_cart_lines"."quantity" between 1 and 99)
);
--> statement-breakpoint
CREATE TABLE "room_events" (
	"room_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"participant_id" uuid,
	"actor_member_id" uuid,
	"client_ref" text,
	"body" jsonb NOT NULL,
	CONSTRAINT "room_events_room_id_seq_pk" PRIMARY KEY("room_id","seq")
);
--> statement-breakpoint
CREATE TABLE "room_participants" (
	"room_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"member_id" uuid,
	"associate_user_id" uuid,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"invited_at" timestamp with time zone,
	"joined_at" timestamp with time zone,
	"removed_at" timestamp with time zone,
	"participation_at" timestamp with time zone,
	CONSTRAINT "room_participants_room_id_id_pk" PRIMARY KEY("room_id","id"),
	CONSTRAINT "room_participants_role" CHECK ("room_participants"."role" in ('host', 'guest', 'associate')),
	CONSTRAINT "room_participants_who" CHECK (("room_participants"."member_id" is null) <> ("room_participants"."associate_user_id" is null))
);
--> statement-breakpoint
CREATE TABLE "room_purchases" (
	"member_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"room_id" uuid NOT NULL,
	"associate_user_id" uuid,
	"total_minor" bigint,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "room_purchases_member_id_activity_id_pk" PRIMARY KEY("member_id","activity_id")
);
--> statement-breakpoint
CREATE TABLE "room_tools" (
	"room_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"tool" text NOT NULL,
	"version" integer NOT NULL,
	"state" jsonb NOT NULL,
	"opened_by" uuid NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	CONSTRAINT "room_tools_room_id_id_pk" PRIMARY KEY("room_id","id")
);
--> statement-breakpoint
CREATE TABLE "rooms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"host_member_id" uuid NOT NULL,
	"title" text NOT NULL,
	"invite_code" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"payment" text DEFAULT 'host_pays' NOT NULL,
	"spend_cap_minor" bigint,
	"cart_id" uuid NOT NULL,
	"cart_locked_at" timestamp with time zone,
	"checked_out_at" timestamp with time zone,
	"associate_store_id" uuid,
	"associate_requested_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"last_activity_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_reason" text,
	CONSTRAINT "rooms_status" CHECK ("rooms"."status" in ('open', 'ended')),
	CONSTRAINT "rooms_payment" CHECK ("rooms"."payment" in ('host_pays', 'own_lines', 'split_even'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "room_events_client_ref_idx" ON "room_events" USING btree ("room_id","client_ref");--> statement-breakpoint
CREATE INDEX "room_events_actor_idx" ON "room_events" USING btree ("actor_member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "room_participants_member_idx" ON "room_participants" USING btree ("room_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "room_participants_associate_idx" ON "room_participants" USING btree ("room_id","associate_user_id");--> statement-breakpoint
CREATE INDEX "room_participants_by_member_idx" ON "room_participants" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "room_purchases_room_idx" ON "room_purchases" USING btree ("room_id");--> statement-breakpoint
CREATE INDEX "rooms_open_idx" ON "rooms" USING btree ("last_activity_at") WHERE "rooms"."status" = 'open';--> statement-breakpoint
CREATE INDEX "rooms_associate_requests_idx" ON "rooms" USING btree ("associate_store_id") WHERE "rooms"."status" = 'open' and "rooms"."associate_requested_at" is not null;
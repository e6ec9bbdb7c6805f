CREATE TABLE "consent_events" (
	"member_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"channel" text DEFAULT 'all' NOT NULL,
	"granted" boolean NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"wording" text,
	CONSTRAINT "consent_events_member_id_id_pk" PRIMARY KEY("member_id","id")
);
--> statement-breakpoint
CREATE INDEX "consent_events_member_purpose_idx" ON "consent_events" USING btree ("member_id","purpose","channel","at");--> statement-breakpoint
-- Each consent recorded before the ledger becomes its first event; the wording then shown is unknown.
INSERT INTO "consent_events" ("member_id", "id", "purpose", "channel", "granted", "at", "source", "wording")
SELECT "member_id", gen_random_uuid(), "purpose", 'all', "granted" = 'yes', "changed_at", 'before_ledger', NULL FROM "member_consents";--> statement-breakpoint
DROP TABLE "member_consents" CASCADE;--> statement-breakpoint
CREATE VIEW "member_consent_states" AS
SELECT DISTINCT ON ("member_id", "purpose", "channel") "member_id", "purpose", "channel", "granted", "at" AS "changed_at", "source", "wording"
  FROM "consent_events" ORDER BY "member_id", "purpose", "channel", "at" DESC, "id" DESC;--> statement-breakpoint
CREATE VIEW "member_consents" AS
SELECT "member_id", "purpose", CASE WHEN "granted" THEN 'yes' ELSE 'no' END AS "granted", "changed_at"
  FROM "member_consent_states" WHERE "channel" = 'all';

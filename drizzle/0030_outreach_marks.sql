CREATE TABLE "outreach_marks" (
	"member_id" uuid NOT NULL,
	"associate_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"state" text NOT NULL,
	"until" date NOT NULL,
	"marked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "outreach_marks_member_id_associate_id_reason_pk" PRIMARY KEY("member_id","associate_id","reason")
);
--> statement-breakpoint
CREATE INDEX "outreach_marks_associate_idx" ON "outreach_marks" USING btree ("associate_id","until");
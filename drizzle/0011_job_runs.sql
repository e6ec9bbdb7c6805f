CREATE TABLE "job_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"job" text NOT NULL,
	"trigger" text NOT NULL,
	"requested_by" text,
	"queue_id" uuid,
	"attempt" integer DEFAULT 1 NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"duration_ms" integer,
	"outcome" text NOT NULL,
	"summary" text,
	"result" jsonb,
	"error" text,
	CONSTRAINT "job_runs_finished" CHECK ("job_runs"."outcome" = 'running' or "job_runs"."duration_ms" is not null)
);
--> statement-breakpoint
CREATE INDEX "job_runs_job_idx" ON "job_runs" USING btree ("job","id");--> statement-breakpoint
CREATE INDEX "job_runs_queue_idx" ON "job_runs" USING btree ("queue_id");
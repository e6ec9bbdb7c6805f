ALTER TABLE "stores" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "stores" ADD CONSTRAINT "stores_currency_iso" CHECK ("stores"."currency" ~ '^[A-Z]{3}$');
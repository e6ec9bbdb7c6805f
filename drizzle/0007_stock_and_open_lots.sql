ALTER TABLE "products" ADD COLUMN "in_stock" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "back_in_stock_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "activities_wishlist_sku_idx" ON "activities" USING btree (("details" ->> 'sku')) WHERE "activities"."kind" = 'wishlist_add';--> statement-breakpoint
CREATE INDEX "products_out_of_stock_idx" ON "products" USING btree ("sku") WHERE not "products"."in_stock";--> statement-breakpoint
CREATE INDEX "points_lots_member_open_idx" ON "points_lots" USING btree ("member_id","expires_at") WHERE "points_lots"."remaining" > 0;
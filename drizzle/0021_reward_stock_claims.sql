CREATE TABLE "reward_stock_claims" (
	"reward_id" uuid PRIMARY KEY NOT NULL,
	"claimed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "reward_stock_claimed_not_negative" CHECK ("reward_stock_claims"."claimed" >= 0)
);
--> statement-breakpoint
ALTER TABLE "redemptions" ADD COLUMN "claimed_stock" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
-- Hand-written: rewards.stock meant "left to give" and redemptions took from it; it now means "in
-- all", less the claims. Open reservations of a limited reward become its claims (so cancelling one
-- gives its unit back as before), and their units are added back to the stock they were taken from.
WITH held AS (
  SELECT r.reward_id, count(*)::int AS units FROM redemptions r JOIN rewards w ON w.id = r.reward_id
   WHERE r.status = 'reserved' AND w.stock IS NOT NULL GROUP BY r.reward_id),
     marked AS (
  UPDATE redemptions r SET claimed_stock = true FROM held WHERE r.reward_id = held.reward_id AND r.status = 'reserved'),
     claims AS (
  INSERT INTO reward_stock_claims (reward_id, claimed) SELECT reward_id, units FROM held)
UPDATE rewards w SET stock = w.stock + held.units FROM held WHERE w.id = held.reward_id;

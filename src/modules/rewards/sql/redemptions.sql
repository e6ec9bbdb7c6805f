-- The till's redemptions, each one statement (a till waits on every round trip): reserve or redeem,
-- then confirm or cancel. What they answer is a typed row: the outcome, the redemption when there
-- is one, and what a refusal needs to explain itself.
CREATE TYPE redemption_answer AS (
  outcome text, -- redeemed, settled, no_member, no_reward, no_redemption, not_valid, wrong_tier, out_of_stock, wrong_channel, limit_reached, not_enough, already_settled, lapsed
  id uuid, member_id uuid, reward_id uuid, points int, status text, channel text, store_code text, code text, idempotency_key text, sent_by text,
  reserved_at timestamptz, expires_at timestamptz, decided_at timestamptz, claimed_stock boolean,
  reward_name text, reward_channels text[], per_member_limit int, needed int, available int);
--> statement-breakpoint
-- A redemption as the answer carries it.
CREATE OR REPLACE FUNCTION redemption_answered(p_outcome text, r redemptions) RETURNS redemption_answer LANGUAGE sql IMMUTABLE AS $$
  SELECT (p_outcome, r.id, r.member_id, r.reward_id, r.points, r.status, r.channel, r.store_code, r.code, r.idempotency_key, r.sent_by,
          r.reserved_at, r.expires_at, r.decided_at, r.claimed_stock, NULL, NULL, NULL, NULL, NULL)::redemption_answer
$$;
--> statement-breakpoint
-- Spends a member's points on a reward, held until the till confirms when p_reserve. The balance
-- row is locked first, so redemptions at once queue on it and never spend more than there is; then
-- a unit of a limited reward is claimed on its reward_stock_claims row, so the last one goes to one
-- member only. Nothing shared is written from the member's transaction. A retry with the same key answers the first
-- redemption (the caller checks it asked for the same thing). Keys are the sender's own (p_sent_by:
-- an API key or a login), as activity receipts are; one stored as 'server' (from before keys were
-- scoped, drizzle/0023) is any sender's, so a till retrying it replays instead of redeeming again.
CREATE OR REPLACE FUNCTION redeem_reward(
  p_member uuid, p_reward uuid, p_sent_by text, p_idempotency_key text, p_channel text, p_store text, p_reserve boolean, p_now timestamptz,
  p_hold_minutes int, p_expiry_months int, p_redemption_id uuid, p_entry_id uuid, p_code text)
RETURNS redemption_answer LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_member uuid := live_member(p_member);
  v_available int;
  v_earlier redemptions;
  v_reward rewards;
  v_used int;
  v_oldest timestamptz;
  v_row redemptions;
  v_refusal redemption_answer;
BEGIN
  IF v_member IS NULL THEN v_refusal.outcome := 'no_member'; RETURN v_refusal; END IF;
  -- The balance row first (made if the member never had points): whoever holds it decides.
  SELECT available INTO v_available FROM points_balances WHERE member_id = v_member FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO points_balances (member_id) VALUES (v_member) ON CONFLICT DO NOTHING;
    SELECT available INTO v_available FROM points_balances WHERE member_id = v_member FOR UPDATE;
  END IF;
  -- Statements of their own, so they see what the lock's previous holder committed (a racing retry).
  SELECT * INTO v_earlier FROM redemptions r
   WHERE r.member_id = v_member AND r.sent_by IN (p_sent_by, 'server') AND r.idempotency_key = p_idempotency_key
   ORDER BY r.sent_by = p_sent_by DESC LIMIT 1;
  IF v_earlier.id IS NOT NULL THEN RETURN redemption_answered('redeemed', v_earlier); END IF;
  SELECT min(l.expires_at) INTO v_oldest FROM points_lots l WHERE l.member_id = v_member AND l.remaining > 0;
  SELECT * INTO v_reward FROM rewards WHERE id = p_reward;

  v_refusal.reward_name := v_reward.name;
  IF v_reward.id IS NULL OR v_reward.active <> 'yes' THEN v_refusal.outcome := 'no_reward'; RETURN v_refusal; END IF;
  -- Outside its dates, or for other tiers' members: the caller reads the reward to say which.
  IF p_now < v_reward.valid_from OR p_now >= v_reward.valid_until THEN v_refusal.outcome := 'not_valid'; RETURN v_refusal; END IF;
  IF cardinality(v_reward.tiers) > 0 AND NOT coalesce((SELECT tier FROM member_tiers WHERE member_id = v_member), '') = any(v_reward.tiers) THEN
    v_refusal.outcome := 'wrong_tier';
    RETURN v_refusal;
  END IF;
  IF cardinality(v_reward.channels) > 0 AND NOT p_channel = any(v_reward.channels) THEN
    v_refusal.outcome := 'wrong_channel';
    v_refusal.reward_channels := v_reward.channels;
    RETURN v_refusal;
  END IF;
  IF v_reward.per_member_limit IS NOT NULL THEN
    SELECT count(*) INTO v_used FROM redemptions
     WHERE member_id = v_member AND reward_id = v_reward.id AND status IN ('reserved', 'confirmed');
    IF v_used >= v_reward.per_member_limit THEN
      v_refusal.outcome := 'limit_reached';
      v_refusal.per_member_limit := v_reward.per_member_limit;
      RETURN v_refusal;
    END IF;
  END IF;
  -- Out of stock: read without a lock (it only refuses early); the claim below decides.
  IF v_reward.stock IS NOT NULL AND v_reward.stock <= coalesce((SELECT claimed FROM reward_stock_claims WHERE reward_id = v_reward.id), 0) THEN
    v_refusal.outcome := 'out_of_stock';
    RETURN v_refusal;
  END IF;
  IF v_available < v_reward.cost THEN
    v_refusal.outcome := 'not_enough';
    v_refusal.member_id := v_member;
    v_refusal.needed := v_reward.cost;
    v_refusal.available := v_available;
    RETURN v_refusal;
  END IF;
  IF v_reward.stock IS NOT NULL THEN
    -- A unit is claimed on the reward's own claims row, never by writing the shared rewards row (a
    -- reference table under Citus): racing members queue on the claims row, and the stock is
    -- re-checked as it is taken, so two members after the last one cannot both have it.
    INSERT INTO reward_stock_claims AS c (reward_id, claimed) VALUES (v_reward.id, 1)
    ON CONFLICT (reward_id) DO UPDATE SET claimed = c.claimed + 1 WHERE c.claimed < v_reward.stock;
    IF NOT FOUND THEN v_refusal.outcome := 'out_of_stock'; RETURN v_refusal; END IF;
  END IF;

  INSERT INTO redemptions (id, member_id, reward_id, points, status, channel, store_code, code, sent_by, idempotency_key, reserved_at, expires_at,
                           decided_at, claimed_stock)
  VALUES (p_redemption_id, v_member, v_reward.id, v_reward.cost, CASE WHEN p_reserve THEN 'reserved' ELSE 'confirmed' END, p_channel, p_store,
          CASE WHEN v_reward.kind = 'discount_code' THEN p_code END, p_sent_by, p_idempotency_key, p_now,
          CASE WHEN p_reserve THEN p_now + make_interval(mins => p_hold_minutes) END, CASE WHEN p_reserve THEN NULL ELSE p_now END,
          v_reward.stock IS NOT NULL)
  RETURNING * INTO v_row;

  PERFORM post_ledger_entries(
    jsonb_build_array(jsonb_build_object(
      'id', p_entry_id, 'member_id', v_member, 'kind', CASE WHEN p_reserve THEN 'reserve' ELSE 'redeem' END, 'source_key', p_redemption_id::text,
      'occurred_at', p_now, 'explanation', '−' || v_reward.cost || ' for ' || v_reward.name,
      'details', jsonb_strip_nulls(jsonb_build_object('redemptionId', p_redemption_id, 'rewardId', v_reward.id, 'lotExpiresAt', v_oldest)),
      'postings', jsonb_build_array(
        jsonb_build_object('account', 'available', 'points', -v_reward.cost),
        jsonb_build_object('account', CASE WHEN p_reserve THEN 'reserved' ELSE 'program:redeemed' END, 'points', v_reward.cost)))),
    p_now, p_expiry_months, true);
  RETURN redemption_answered('redeemed', v_row);
END $$;
--> statement-breakpoint
-- Settles a reservation: confirmed (the sale went through, the held points are spent), cancelled
-- or expired (they go back, to lots dated as the ones they came from). Settling twice the same way
-- is harmless. Answers settled, no_redemption, already_settled (with its status) or lapsed.
CREATE OR REPLACE FUNCTION settle_redemption(p_redemption uuid, p_outcome text, p_now timestamptz, p_expiry_months int, p_entry_id uuid)
RETURNS redemption_answer LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_row redemptions;
  v_lot_expires text;
  v_refusal redemption_answer;
BEGIN
  -- The member's balance and the redemption, locked together, so a racing confirm and cancel see each other's outcome.
  SELECT r.* INTO v_row FROM redemptions r JOIN points_balances b ON b.member_id = r.member_id WHERE r.id = p_redemption FOR UPDATE OF b, r;
  IF NOT FOUND THEN v_refusal.outcome := 'no_redemption'; RETURN v_refusal; END IF;
  IF v_row.status = p_outcome THEN RETURN redemption_answered('settled', v_row); END IF;
  IF v_row.status <> 'reserved' THEN RETURN redemption_answered('already_settled', v_row); END IF;
  -- A hold past its time cannot be confirmed: the points went back to the member.
  IF p_outcome = 'confirmed' AND v_row.expires_at < p_now THEN v_refusal.outcome := 'lapsed'; RETURN v_refusal; END IF;

  SELECT details ->> 'lotExpiresAt' INTO v_lot_expires FROM ledger_entries
   WHERE member_id = v_row.member_id AND kind = 'reserve' AND source_key = v_row.id::text;
  PERFORM post_ledger_entries(
    jsonb_build_array(jsonb_build_object(
      'id', p_entry_id, 'member_id', v_row.member_id, 'kind', CASE WHEN p_outcome = 'confirmed' THEN 'confirm' ELSE 'cancel' END,
      'source_key', v_row.id::text, 'occurred_at', p_now,
      'explanation', CASE WHEN p_outcome = 'confirmed' THEN 'Reward handed over' ELSE '+' || v_row.points || ' back: the reward was not taken' END,
      'details', jsonb_strip_nulls(jsonb_build_object('redemptionId', v_row.id, 'lotExpiresAt', v_lot_expires)),
      'postings', jsonb_build_array(
        jsonb_build_object('account', 'reserved', 'points', -v_row.points),
        jsonb_build_object('account', CASE WHEN p_outcome = 'confirmed' THEN 'program:redeemed' ELSE 'available' END, 'points', v_row.points)))),
    p_now, p_expiry_months, true);
  -- The unit it claimed goes back to the reward's claims (a given reward keeps its claim).
  IF p_outcome <> 'confirmed' AND v_row.claimed_stock THEN
    UPDATE reward_stock_claims SET claimed = claimed - 1 WHERE reward_id = v_row.reward_id;
  END IF;
  UPDATE redemptions SET status = p_outcome, decided_at = p_now WHERE member_id = v_row.member_id AND id = v_row.id RETURNING * INTO v_row;
  RETURN redemption_answered('settled', v_row);
END $$;

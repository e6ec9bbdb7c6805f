-- The ledger's posting and the till's redemptions run inside the database, each as one statement.
-- A till waits on every round trip to PostgreSQL, and each costs the server a system call on its
-- one thread: a reserve took nine, a confirm seven; now each takes one (see docs/rewards.md).
-- The functions plan their statements once per connection (force_generic_plan): their statements
-- are small keyed lookups and writes, and planning them afresh on every call cost more than
-- running them.

-- One posting on its way into the ledger, with the expiry its lot keeps (a cancelled hold's points
-- go back to lots dated as the ones they came from).
CREATE TYPE ledger_posting_in AS (member_id uuid, entry_id uuid, account text, points int, lot_expires_at timestamptz);
--> statement-breakpoint
-- Points a batch takes from a member's available balance, to spend from their oldest lots.
CREATE TYPE points_debit AS (member_id uuid, points int);
--> statement-breakpoint

-- Posts ledger entries whose postings sum to zero (the caller checked that). An entry whose
-- (member, kind, source) was posted before is skipped, so replays post nothing. Balances and lots
-- follow. The caller holds the members' balance rows locked. Returns the ids actually posted.
-- Entries: [{id, member_id, kind, source_key, occurred_at, rule_id, rule_version, activity_id,
--            explanation, details, postings: [{account, points}]}]
CREATE OR REPLACE FUNCTION post_ledger_entries(p_entries jsonb, p_now timestamptz, p_expiry_months int, p_lots boolean)
RETURNS SETOF uuid LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_fresh uuid[];
  v_postings ledger_posting_in[];
  v_members uuid[];
  v_debits points_debit[];
  -- Month arithmetic in UTC, whatever the session's time zone.
  v_expires timestamptz := ((p_now AT TIME ZONE 'UTC') + make_interval(months => p_expiry_months)) AT TIME ZONE 'UTC';
BEGIN
  WITH inserted AS (
    INSERT INTO ledger_entries (id, member_id, kind, source_key, occurred_at, posted_at, rule_id, rule_version, activity_id, explanation, details)
    SELECT e.id, e.member_id, e.kind, e.source_key, e.occurred_at, p_now, e.rule_id, e.rule_version, e.activity_id, e.explanation, coalesce(e.details, '{}')
      FROM jsonb_to_recordset(p_entries) AS e(id uuid, member_id uuid, kind text, source_key text, occurred_at timestamptz, rule_id uuid,
                                              rule_version int, activity_id uuid, explanation text, details jsonb)
    ON CONFLICT DO NOTHING
    RETURNING id)
  SELECT coalesce(array_agg(id), '{}') INTO v_fresh FROM inserted;
  IF cardinality(v_fresh) = 0 THEN RETURN; END IF;

  -- Held in an array: planned as the few rows it is (the JSON would be guessed at thousands, and
  -- the balances then read whole).
  SELECT coalesce(array_agg((e.member_id, e.id, p.account, p.points, (e.details ->> 'lotExpiresAt')::timestamptz)::ledger_posting_in), '{}')
    INTO v_postings
    FROM jsonb_to_recordset(p_entries) AS e(id uuid, member_id uuid, details jsonb, postings jsonb),
         jsonb_to_recordset(e.postings) AS p(account text, points int)
   WHERE e.id = any(v_fresh) AND p.points <> 0;
  -- Every keyed table below is also filtered by member = any(v_members): the planner cannot tell
  -- how few rows an array holds, and would otherwise read balances and lots whole to hash-join them.
  SELECT array_agg(DISTINCT member_id) INTO v_members FROM unnest(v_postings);

  -- Postings, balances and new lots in one statement.
  WITH posting AS (SELECT * FROM unnest(v_postings)),
       posted AS (
         INSERT INTO ledger_postings (member_id, entry_id, account, points) SELECT member_id, entry_id, account, points FROM posting),
       balanced AS (
         UPDATE points_balances b
            SET available = b.available + d.available, pending = b.pending + d.pending, reserved = b.reserved + d.reserved, owed = b.owed + d.owed
           FROM (SELECT member_id,
                        coalesce(sum(points) FILTER (WHERE account = 'available'), 0) AS available,
                        coalesce(sum(points) FILTER (WHERE account = 'pending'), 0) AS pending,
                        coalesce(sum(points) FILTER (WHERE account = 'reserved'), 0) AS reserved,
                        coalesce(sum(points) FILTER (WHERE account = 'owed'), 0) AS owed
                   FROM posting GROUP BY member_id) d
          WHERE b.member_id = d.member_id AND b.member_id = any(v_members)),
       -- Points coming into `available` start a lot (a merge moves lots itself, dates and all).
       lots AS (
         INSERT INTO points_lots (member_id, entry_id, earned_at, expires_at, points, remaining)
         SELECT member_id, entry_id, p_now, coalesce(min(lot_expires_at), v_expires), sum(points), sum(points)
           FROM posting WHERE p_lots AND account = 'available' AND points > 0
          GROUP BY member_id, entry_id)
  SELECT coalesce(array_agg((member_id, -points)::points_debit), '{}') INTO v_debits
    FROM (SELECT member_id, sum(points) AS points FROM posting WHERE p_lots AND account = 'available' AND points < 0 GROUP BY member_id) d;

  -- Points leaving `available` spend the oldest lots first (a statement of its own: it sees the new lots).
  IF cardinality(v_debits) > 0 THEN
    WITH ordered AS (
           SELECT l.member_id, l.entry_id, l.remaining, d.points,
                  sum(l.remaining) OVER (PARTITION BY l.member_id ORDER BY l.expires_at, l.entry_id) AS running
             FROM points_lots l JOIN unnest(v_debits) d ON d.member_id = l.member_id
            WHERE l.remaining > 0 AND l.member_id = any(v_members))
    UPDATE points_lots l SET remaining = least(o.remaining, greatest(0, o.running - o.points))
      FROM ordered o
     WHERE l.member_id = o.member_id AND l.entry_id = o.entry_id AND o.running - o.remaining < o.points AND l.member_id = any(v_members);
  END IF;
  RETURN QUERY SELECT unnest(v_fresh);
END $$;
--> statement-breakpoint

-- Follows merge redirects to the member who holds the history now; null when there is none.
CREATE OR REPLACE FUNCTION live_member(p_member uuid) RETURNS uuid LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_member uuid := p_member;
  v_next uuid;
BEGIN
  FOR hop IN 1..10 LOOP
    SELECT merged_into INTO v_next FROM members WHERE id = v_member;
    IF NOT FOUND THEN RETURN NULL; END IF;
    IF v_next IS NULL THEN RETURN v_member; END IF;
    v_member := v_next;
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint

-- Spends a member's points on a reward, held until the till confirms when p_reserve. The balance
-- row is locked first, so redemptions at once queue on it and never spend more than there is; the
-- last of a reward's stock goes to one of them only. A retry with the same key answers the first
-- redemption. Returns {outcome, ...}: redeemed (with the redemption), no_member, no_reward,
-- out_of_stock, wrong_channel, limit_reached or not_enough (with what is available).
CREATE OR REPLACE FUNCTION redeem_reward(
  p_member uuid, p_reward uuid, p_idempotency_key text, p_channel text, p_store text, p_reserve boolean, p_now timestamptz,
  p_hold_minutes int, p_expiry_months int, p_redemption_id uuid, p_entry_id uuid, p_code text)
RETURNS jsonb LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_member uuid := live_member(p_member);
  v_available int;
  v_earlier jsonb;
  v_reward rewards;
  v_used int;
  v_oldest timestamptz;
  v_row redemptions;
BEGIN
  IF v_member IS NULL THEN RETURN jsonb_build_object('outcome', 'no_member'); END IF;
  -- The balance row first (made if the member never had points): whoever holds it decides.
  SELECT available INTO v_available FROM points_balances WHERE member_id = v_member FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO points_balances (member_id) VALUES (v_member) ON CONFLICT DO NOTHING;
    SELECT available INTO v_available FROM points_balances WHERE member_id = v_member FOR UPDATE;
  END IF;
  -- Statements of their own, so they see what the lock's previous holder committed (a racing retry).
  SELECT (SELECT to_jsonb(r) FROM redemptions r WHERE r.member_id = v_member AND r.idempotency_key = p_idempotency_key),
         (SELECT min(l.expires_at) FROM points_lots l WHERE l.member_id = v_member AND l.remaining > 0)
    INTO v_earlier, v_oldest;
  IF v_earlier IS NOT NULL THEN RETURN jsonb_build_object('outcome', 'redeemed', 'redemption', v_earlier); END IF;
  SELECT * INTO v_reward FROM rewards WHERE id = p_reward;

  IF v_reward.id IS NULL OR v_reward.active <> 'yes' THEN RETURN jsonb_build_object('outcome', 'no_reward'); END IF;
  IF cardinality(v_reward.channels) > 0 AND NOT p_channel = any(v_reward.channels) THEN
    RETURN jsonb_build_object('outcome', 'wrong_channel', 'name', v_reward.name, 'channels', v_reward.channels);
  END IF;
  IF v_reward.per_member_limit IS NOT NULL THEN
    SELECT count(*) INTO v_used FROM redemptions
     WHERE member_id = v_member AND reward_id = v_reward.id AND status IN ('reserved', 'confirmed');
    IF v_used >= v_reward.per_member_limit THEN
      RETURN jsonb_build_object('outcome', 'limit_reached', 'name', v_reward.name, 'limit', v_reward.per_member_limit);
    END IF;
  END IF;
  IF v_reward.stock IS NOT NULL AND v_reward.stock <= 0 THEN RETURN jsonb_build_object('outcome', 'out_of_stock', 'name', v_reward.name); END IF;
  IF v_available < v_reward.cost THEN
    RETURN jsonb_build_object('outcome', 'not_enough', 'member_id', v_member, 'needed', v_reward.cost, 'available', v_available);
  END IF;
  IF v_reward.stock IS NOT NULL THEN
    -- Re-checked as it is taken: two members after the last one cannot both have it.
    UPDATE rewards SET stock = stock - 1 WHERE id = v_reward.id AND stock > 0;
    IF NOT FOUND THEN RETURN jsonb_build_object('outcome', 'out_of_stock', 'name', v_reward.name); END IF;
  END IF;

  INSERT INTO redemptions (id, member_id, reward_id, points, status, channel, store_code, code, idempotency_key, reserved_at, expires_at, decided_at)
  VALUES (p_redemption_id, v_member, v_reward.id, v_reward.cost, CASE WHEN p_reserve THEN 'reserved' ELSE 'confirmed' END, p_channel, p_store,
          CASE WHEN v_reward.kind = 'discount_code' THEN p_code END, p_idempotency_key, p_now,
          CASE WHEN p_reserve THEN p_now + make_interval(mins => p_hold_minutes) END, CASE WHEN p_reserve THEN NULL ELSE p_now END)
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
  RETURN jsonb_build_object('outcome', 'redeemed', 'redemption', to_jsonb(v_row));
END $$;
--> statement-breakpoint

-- Settles a reservation: confirmed (the sale went through, the held points are spent), cancelled
-- or expired (they go back, to lots dated as the ones they came from). Settling twice the same way
-- is harmless. Returns {outcome, ...}: settled (with the redemption), no_redemption,
-- already_settled (with its status) or lapsed.
CREATE OR REPLACE FUNCTION settle_redemption(p_redemption uuid, p_outcome text, p_now timestamptz, p_expiry_months int, p_entry_id uuid)
RETURNS jsonb LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_row redemptions;
  v_lot_expires text;
BEGIN
  -- The member's balance and the redemption, locked together, so a racing confirm and cancel see each other's outcome.
  SELECT r.* INTO v_row FROM redemptions r JOIN points_balances b ON b.member_id = r.member_id WHERE r.id = p_redemption FOR UPDATE OF b, r;
  IF NOT FOUND THEN RETURN jsonb_build_object('outcome', 'no_redemption'); END IF;
  IF v_row.status = p_outcome THEN RETURN jsonb_build_object('outcome', 'settled', 'redemption', to_jsonb(v_row)); END IF;
  IF v_row.status <> 'reserved' THEN RETURN jsonb_build_object('outcome', 'already_settled', 'status', v_row.status); END IF;
  -- A hold past its time cannot be confirmed: the points went back to the member.
  IF p_outcome = 'confirmed' AND v_row.expires_at < p_now THEN RETURN jsonb_build_object('outcome', 'lapsed'); END IF;

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
  IF p_outcome <> 'confirmed' THEN
    UPDATE rewards SET stock = stock + 1 WHERE id = v_row.reward_id AND stock IS NOT NULL;
  END IF;
  UPDATE redemptions SET status = p_outcome, decided_at = p_now WHERE member_id = v_row.member_id AND id = v_row.id RETURNING * INTO v_row;
  RETURN jsonb_build_object('outcome', 'settled', 'redemption', to_jsonb(v_row));
END $$;

-- The ledger's posting: the one place entries, postings, balances and lots are written (docs/rewards.md).
-- TypeScript computes each entry's postings and checks they balance; this posts a batch atomically,
-- in one round trip. Statements plan once per connection (force_generic_plan): they are small keyed
-- lookups and writes, and planning them afresh on every call cost more than running them.

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

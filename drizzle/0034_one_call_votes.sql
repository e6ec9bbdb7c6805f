-- Casting a vote on an idea in one call (a vote waited on about a dozen round trips before):
-- who the voter is after merges, the idea open and visible, the person's lock, the budget, the
-- weight, the vote row and the idea's tally. What it answers is a typed row: the outcome, and what
-- the vote's answer (or the refusal) needs.
CREATE TYPE idea_vote_answer AS (
  outcome text, -- voted, voted_before, no_member, no_idea, closed, budget_spent
  member_id uuid, status text, weight int, support int, voters int, used int, budget int, period text, first boolean);
--> statement-breakpoint
-- p_defaults: the idea settings when none are saved (defaultIdeaSettings in settings.ts). The
-- weight is voteWeight's formula in settings.ts, in float8 as JavaScript computes it, rounded as
-- Math.round does; the period is budgetPeriod's (UTC month, ISO week, quarter). The person's
-- advisory lock comes first and each statement after it reads afresh (this function is volatile),
-- so two votes racing for the last vote in a budget take it once. The idea row is updated before
-- the vote is written: an idea closed meanwhile answers 'closed' with nothing written.
CREATE OR REPLACE FUNCTION cast_idea_vote(p_member uuid, p_idea uuid, p_now timestamptz, p_defaults jsonb)
RETURNS idea_vote_answer LANGUAGE plpgsql AS $$
DECLARE
  v_member uuid := live_member(p_member);
  v_settings jsonb := coalesce((SELECT settings FROM idea_settings WHERE id = 1), p_defaults);
  v_budget int := (v_settings #>> '{budget,votes}')::int;
  v_at timestamp := p_now AT TIME ZONE 'UTC';
  v_period text;
  v_status text;
  v_category text;
  v_hidden boolean;
  v_existing int;
  v_withdrawn boolean;
  v_used int;
  v_score float8;
  v_purchases int;
  v_cap int := (v_settings #>> '{weights,purchaseCap}')::int;
  v_weight int;
  v_support int;
  v_voters int;
BEGIN
  IF v_member IS NULL THEN
    RETURN ('no_member', NULL, NULL, NULL, NULL, NULL, NULL, v_budget, NULL, NULL)::idea_vote_answer;
  END IF;
  v_period := CASE v_settings #>> '{budget,period}'
    WHEN 'month' THEN to_char(v_at, 'YYYY-MM')
    WHEN 'quarter' THEN to_char(v_at, 'YYYY-"Q"Q')
    ELSE to_char(v_at, 'IYYY-"W"IW') END;
  SELECT status, category, hidden INTO v_status, v_category, v_hidden FROM ideas WHERE id = p_idea;
  IF NOT FOUND OR v_hidden THEN
    RETURN ('no_idea', v_member, NULL, NULL, NULL, NULL, NULL, v_budget, v_period, NULL)::idea_vote_answer;
  END IF;
  IF v_status IN ('in_stock', 'declined', 'merged') THEN
    RETURN ('closed', v_member, v_status, NULL, NULL, NULL, NULL, v_budget, v_period, NULL)::idea_vote_answer;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('idea-votes:' || v_member, 0));
  -- A withdrawn vote keeps its row: voting again is no first vote (vote_cast is recorded once).
  SELECT weight, withdrawn_at IS NOT NULL INTO v_existing, v_withdrawn FROM idea_votes WHERE idea_id = p_idea AND member_id = v_member;
  SELECT count(*) INTO v_used FROM idea_votes
   WHERE member_id = v_member AND period = v_period AND withdrawn_at IS NULL AND returned_at IS NULL;
  IF v_existing IS NOT NULL AND NOT v_withdrawn THEN
    SELECT support, voters INTO v_support, v_voters FROM ideas WHERE id = p_idea;
    RETURN ('voted_before', v_member, v_status, v_existing, v_support, v_voters, v_used, v_budget, v_period, false)::idea_vote_answer;
  END IF;
  IF v_used >= v_budget THEN
    RETURN ('budget_spent', v_member, v_status, NULL, NULL, NULL, v_used, v_budget, v_period, NULL)::idea_vote_answer;
  END IF;
  -- The weight's inputs: the relationship score and verified purchases in the idea's category (purchasesInCategory).
  SELECT score INTO v_score FROM member_insights WHERE member_id = v_member;
  SELECT count(*) INTO v_purchases FROM activities a
   WHERE a.member_id = v_member AND a.kind = 'purchase'
     AND (v_category IS NULL OR EXISTS (
           SELECT 1 FROM activity_lines l JOIN products p ON p.sku = l.sku
            WHERE l.member_id = a.member_id AND l.activity_id = a.id AND l.quantity > 0
              AND EXISTS (SELECT 1 FROM unnest(p.category) c WHERE lower(c) = lower(v_category))));
  v_weight := greatest(1, floor((
      (v_settings #>> '{weights,base}')::float8
    + ((v_settings #>> '{weights,relationship}')::float8 * least(greatest(coalesce(v_score, 0), 0), 100)) / 100
    + ((v_settings #>> '{weights,purchases}')::float8 * least(v_purchases, v_cap)) / v_cap
  ) * 100 + 0.5)::int);
  UPDATE ideas SET support = support + v_weight, voters = voters + 1
   WHERE id = p_idea AND status NOT IN ('in_stock', 'declined', 'merged')
   RETURNING support, voters INTO v_support, v_voters;
  IF NOT FOUND THEN -- closed while we waited
    RETURN ('closed', v_member, 'closed', NULL, NULL, NULL, NULL, v_budget, v_period, NULL)::idea_vote_answer;
  END IF;
  INSERT INTO idea_votes (idea_id, member_id, weight, period, cast_at) VALUES (p_idea, v_member, v_weight, v_period, p_now)
    ON CONFLICT (idea_id, member_id) DO UPDATE
      SET weight = excluded.weight, period = excluded.period, cast_at = excluded.cast_at, withdrawn_at = NULL;
  RETURN ('voted', v_member, v_status, v_weight, v_support, v_voters, v_used + 1, v_budget, v_period, v_existing IS NULL)::idea_vote_answer;
END
$$;

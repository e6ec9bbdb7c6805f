-- Merge redirects are one hop long: a member merged into someone who was merged in turn points at
-- the live member directly (merges keep it so from now on), and live_member follows one hop.
UPDATE members m SET merged_into = live_member(m.id)
 WHERE m.merged_into IS NOT NULL
   AND EXISTS (SELECT 1 FROM members n WHERE n.id = m.merged_into AND n.merged_into IS NOT NULL);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION live_member(p_member uuid) RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT coalesce(merged_into, id) FROM members WHERE id = p_member
$$;

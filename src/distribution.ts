/**
 * How every table would be placed on a Citus cluster (docs/scale-out.md), in one list the schema
 * test checks against the database: a table missing here fails it, and so does a table that
 * breaks its kind's rule. A module adding a table adds it here.
 *
 * - `member`: distributed by the member (`member_id`, or `id` for members itself), co-located, so
 *   a member's reads and writes stay on one worker; every primary key and unique index holds it.
 * - `own`: distributed by a key of its own because it is only ever looked up by that key (an
 *   idempotency receipt by its key, an identifier by its value); every unique index holds it.
 * - `reference`: small shared data replicated to every worker (the catalogue, the rules).
 * - `local`: the coordinator's own (logins, logs, the staff's review queues, analytics results).
 */
export type Placement = { kind: 'member'; column: 'member_id' | 'id' } | { kind: 'own'; column: string } | { kind: 'reference' } | { kind: 'local' }

const member = { kind: 'member', column: 'member_id' } as const
const own = (column: string) => ({ kind: 'own', column }) as const
const reference = { kind: 'reference' } as const
const local = { kind: 'local' } as const

export const tablePlacement: Record<string, Placement> = {
  // members and identity
  members: { kind: 'member', column: 'id' },
  consent_events: member,
  identifier_proofs: member,
  member_identifiers: own('value'), // looked up by (kind, value) at the till, before the member is known
  signup_requests: own('value'),
  member_merges: local, // a merge joins two members who may live on different workers: rare, staff-made
  duplicate_candidates: local, // pairs of members, for staff review
  // activity
  unlinked_sales: local, // sales that named no member, summed for the capture rate
  activities: member,
  activity_lines: member,
  activity_receipts: own('idempotency_key'), // idempotency per source and key, read by that key only
  parked_activities: own('id'), // activity whose member is not known yet: no member to place it with
  activity_kinds: reference,
  channels: reference,
  stores: reference,
  products: reference,
  // rewards
  ledger_entries: member,
  ledger_postings: member,
  points_balances: member,
  points_lots: member,
  pending_points: member,
  redemptions: member,
  member_tiers: member,
  tier_history: member,
  referrals: member,
  referral_codes: own('code'), // looked up by the code a friend types
  earning_rules: reference,
  rewards: reference,
  reward_stock_claims: own('reward_id'), // a redemption claims a unit here, never on the shared rewards row
  tiers: reference,
  tier_policy: reference,
  // advisor
  member_notes: member,
  follow_ups: member,
  conversations: member,
  outreach_marks: member,
  taste_preferences: member,
  suggestion_lists: member,
  suggestion_feedback: member,
  popular_items: reference, // read by every suggestion, rebuilt by training
  // insights: per-member figures live with the member; the rest are analytics results
  member_insights: member,
  member_segments: member,
  member_score_history: member,
  insights_settings: reference,
  scorecard_targets: local, // a manager's targets per store and associate, read with the scorecards
  insights_runs: local,
  retention_cells: local,
  segment_counts: local,
  segment_moves: local,
  sales_months: local,
  // social: every row on one member's page (docs/social.md)
  friendships: member,
  friend_requests: member,
  blocks: member,
  people_met: member,
  shared_items: member,
  feed_items: member,
  lists: member,
  list_shares: member,
  list_items: member,
  // social: live co-shopping rooms, placed by the room (every read and write names it), co-located
  rooms: own('id'),
  room_participants: own('room_id'), // a member's own list of rooms reads its index on member_id: a few rows
  room_events: own('room_id'),
  room_cart_lines: own('room_id'),
  room_tools: own('room_id'),
  room_purchases: member, // a sale the room made, with the member's activity
  // community ideas: placed by the idea (the board and an idea's page read by it), co-located
  ideas: own('id'),
  idea_status_changes: own('idea_id'),
  idea_votes: own('idea_id'), // a member's own votes read its index on member_id: a few rows
  idea_follows: own('idea_id'),
  idea_comments: own('idea_id'),
  idea_demand: own('idea_id'),
  idea_products: own('idea_id'),
  idea_settings: reference,
  // community: reviews and questions live on their product's page, placed by sku (docs/community.md)
  product_reviews: own('sku'),
  product_review_versions: own('sku'),
  product_review_votes: own('sku'),
  product_review_replies: own('sku'),
  product_questions: own('sku'),
  product_answers: own('sku'),
  // community: moderation and the notification centre
  moderation_items: local, // the staff's review queue, read across members by content
  moderation_reports: local, // settled with the item, read by the queue
  moderation_bans: member, // read by every post of the member
  moderation_post_counts: member, // the member's rate-limit counter, upserted by every post
  moderation_word_filters: reference,
  moderation_settings: reference,
  member_notifications: member,
  notification_preferences: member, // read with the member's notifications as they are delivered
  staff_notifications: local, // by staff login
  // community: polls are shared, each answer lives with its member
  polls: reference,
  poll_options: reference,
  poll_answers: member,
  pairwise_choices: member,
  // platform and accounts
  users: local,
  sessions: local,
  api_keys: local,
  password_links: local,
  erasure_codes: member,
  login_failures: local, // counters of failed logins, read by the login route only
  audit_entries: local,
  outbox_events: local,
  outbox_consumers: local,
  job_runs: local,
}

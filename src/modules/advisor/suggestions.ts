import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, insertMany, preparedRows, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { newId } from '../../platform/ids.js'
import { type Basket, type Reason, Recommender, tuneBlend } from './recommender/index.js'
import { popularItems, suggestionFeedback, suggestionLists } from './schema.js'

const perMember = 30
const dayMs = 86_400_000

/** A stored suggestion: what the till or the home page shows, with what the filters need. */
export interface StoredSuggestion {
  sku: string
  name: string
  category: string | null
  brand: string | null
  /** The model's reasons, or a plugged-in source's own kind ("friends", "community"). */
  reason: Reason | { kind: string; text: string }
}

/** Every member's purchases as baskets (one per purchase activity), oldest first. */
async function basketsFromActivity(db: Db): Promise<Basket[]> {
  const rows = await queryRows<{ member_id: string; activity_id: string; day: number; skus: string[] }>(
    db,
    sql`select a.member_id, a.id as activity_id, floor(extract(epoch from a.occurred_at) / 86400)::int as day, array_agg(distinct l.sku) as skus
          from activities a join activity_lines l on l.member_id = a.member_id and l.activity_id = a.id
         where a.kind = 'purchase'
         group by a.member_id, a.id, a.occurred_at
         order by a.occurred_at`,
  )
  return rows.map((r) => ({ member: r.member_id, order: r.activity_id, day: r.day, items: r.skus }))
}

/**
 * Retrains the recommender on all purchase history (the blend learnt afresh) and stores each
 * member's best 30 with their reasons, and what sells in each store: the nightly job. Serving then
 * is one indexed read, fast enough for a till.
 */
export async function trainSuggestions(deps: Pick<Deps, 'db' | 'clock'>) {
  const started = performance.now()
  const now = deps.clock.now()
  const baskets = await basketsFromActivity(deps.db)
  const products = await queryRows<{ sku: string; name: string; category: string; brand: string | null }>(
    deps.db,
    sql`select sku, name, array_to_string(category, ' > ') as category, brand from products`,
  )
  const catalogue = new Map(products.map((p) => [p.sku, p]))
  const tuned = tuneBlend(baskets, 10)
  const model = new Recommender(baskets, tuned.blend, new Map(products.map((p) => [p.sku, p.name])))
  const stored = (sku: string, reason: Reason): StoredSuggestion => {
    const product = catalogue.get(sku)
    return { sku, name: product?.name ?? sku, category: product?.category || null, brand: product?.brand ?? null, reason }
  }
  const members = [...new Set(baskets.map((b) => b.member))]
  // Every basket teaches which products go together (no one is profiled by that); a list of one's
  // own is a profile, kept only for members who consented to profiling (the only ones served it).
  const consented = new Set(
    (await queryRows<{ member_id: string }>(deps.db, sql`select member_id from member_consents where purpose = 'profiling' and granted = 'yes'`)).map(
      (r) => r.member_id,
    ),
  )
  const profiled = members.filter((m) => consented.has(m))
  await deps.db.transaction(async (tx) => {
    await tx.execute(sql`delete from suggestion_lists`)
    for (let i = 0; i < profiled.length; i += 2000) {
      await insertMany(
        tx,
        suggestionLists,
        profiled.slice(i, i + 2000).map((memberId) => ({
          memberId,
          items: model.recommend(memberId, perMember).map((s) => stored(s.sku, s.reason)),
          trainedAt: now,
        })),
      )
    }
    // What sells: distinct recent buyers per store (home store of the buyer) and overall, last 90 days.
    const popular = await queryRows<{ key: string; skus: string[] }>(
      tx,
      sql`with buyers as (
            select coalesce(m.home_store_id::text, '*') as key, l.sku, count(distinct a.member_id) as n
              from activities a join activity_lines l on l.member_id = a.member_id and l.activity_id = a.id join members m on m.id = a.member_id
             where a.kind = 'purchase' and a.occurred_at >= ${new Date(now.getTime() - 90 * dayMs)}
             group by grouping sets ((1, 2), (2)))
          select coalesce(key, '*') as key, (array_agg(sku order by n desc, sku))[1:${perMember}] as skus from buyers group by 1`,
    )
    await tx.execute(sql`delete from popular_items`)
    await insertMany(
      tx,
      popularItems,
      popular.map((p) => ({
        key: p.key,
        items: p.skus.map((sku) =>
          stored(sku, {
            kind: 'popular',
            text: `${catalogue.get(sku)?.name ?? sku} is popular ${p.key === '*' ? 'with shoppers' : 'in your store'} right now`,
          }),
        ),
        trainedAt: now,
      })),
    )
  })
  const { halfLifeDays, ...weights } = tuned.blend
  const blend: Record<string, number | null> = { ...weights, halfLifeDays: Number.isFinite(halfLifeDays) ? halfLifeDays : null }
  return { baskets: baskets.length, members: members.length, blend, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) }
}

/**
 * Where later modules plug in their own suggestions (friends' picks, what the community rates):
 * a source returns suggestions for a member with their reasons; they come after the member's own
 * list and before what is popular, and the same filters apply (never suggest, dislikes, resting,
 * the basket). A source decides for itself what its consent rules are.
 */
export type SuggestionSource = (db: Db, memberId: string, k: number) => Promise<StoredSuggestion[]>

declare module '../../platform/deps.js' {
  interface Wiring {
    /** Later modules' suggestions (friends' picks, community favourites), listed in src/composition.ts. */
    suggestionSources: SuggestionSource[]
  }
}

interface ServingState {
  profiling: boolean | null
  personal: StoredSuggestion[] | null
  store_popular: StoredSuggestion[] | null
  popular: StoredSuggestion[] | null
  resting: string[]
  excluded: { kind: string; subjectKind: string; subject: string }[]
  /** Every sku the stock system says cannot be bought now (plugged-in sources' too). */
  unavailable: string[]
}

/**
 * A member's suggestions for a surface: their own list when they consented to profiling, else
 * what sells in their store; never what they asked us not to suggest, dislike, dismissed in the
 * last 30 days or said is not for them, nor what is out of stock or already in the basket. One
 * round trip.
 */
export async function suggestionsFor(deps: Pick<Deps, 'db' | 'clock' | 'wiring'>, memberId: string, { k = 5, basket = [] as string[] } = {}) {
  const [state] = await preparedRows<ServingState>(
    deps.db,
    'advisor_suggestions_for',
    // Out of stock: usually a handful of skus, read through a partial index however big the catalogue.
    sql`select (select granted = 'yes' from member_consents where member_id = ${memberId} and purpose = 'profiling') as profiling,
               (select items from suggestion_lists where member_id = ${memberId}) as personal,
               (select p.items from popular_items p join members m on p.key = m.home_store_id::text where m.id = ${memberId}) as store_popular,
               (select items from popular_items where key = '*') as popular,
               array(select sku from suggestion_feedback
                      where member_id = ${memberId} and (event = 'not_for_me' or (event = 'dismissed' and at > ${new Date(deps.clock.now().getTime() - 30 * dayMs)}))) as resting,
               coalesce((select json_agg(json_build_object('kind', kind, 'subjectKind', subject_kind, 'subject', lower(subject)))
                           from taste_preferences where member_id = ${memberId} and kind in ('never_suggest', 'dislike')), '[]'::json) as excluded,
               array(select sku from products where not in_stock) as unavailable`,
  )
  const skip = new Set(
    [...basket, ...state.resting, ...state.unavailable, ...state.excluded.filter((e) => e.subjectKind === 'sku').map((e) => e.subject)].map((sku) =>
      sku.toLowerCase(),
    ),
  )
  const disliked = (s: StoredSuggestion) =>
    state.excluded.some(
      (e) =>
        (e.subjectKind === 'category' && s.category && (s.category.toLowerCase() === e.subject || s.category.toLowerCase().startsWith(`${e.subject} >`))) ||
        (e.subjectKind === 'brand' && s.brand?.toLowerCase() === e.subject),
    )
  const sources = deps.wiring.suggestionSources
  const plugged = sources.length ? (await Promise.all(sources.map((source) => source(deps.db, memberId, k)))).flat() : []
  const candidates = [...(state.profiling ? (state.personal ?? []) : []), ...plugged, ...(state.store_popular ?? []), ...(state.popular ?? [])]
  const out: StoredSuggestion[] = []
  for (const s of candidates) {
    if (out.length >= k) break
    if (skip.has(s.sku.toLowerCase()) || disliked(s) || out.some((o) => o.sku === s.sku)) continue
    out.push(s)
  }
  return out
}

export async function recordFeedback(
  deps: Pick<Deps, 'db' | 'clock'>,
  memberId: string,
  input: { sku: string; event: (typeof suggestionFeedback.$inferInsert)['event']; surface: string },
  actor: Principal,
) {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(suggestionFeedback)
      .values({ memberId, id: newId(), sku: input.sku, event: input.event, surface: input.surface, at: deps.clock.now() })
      .returning()
    await recordAudit(tx, deps.clock.now(), actor, {
      action: 'member.suggestion_feedback',
      targetKind: 'suggestion_feedback',
      targetId: row.id,
      memberId,
      after: { sku: row.sku, event: row.event, surface: row.surface },
    })
    return row
  })
}

/**
 * What an associate could open with: the member's strongest tastes, the latest notes and the last
 * conversation, beside the suggestions.
 */
export async function talkingPoints(db: Db, memberId: string, affinities: { kind: string; subject: string; why: string }[]) {
  const [notes, [talk]] = await Promise.all([
    queryRows<{ body: string }>(db, sql`select body from member_notes where member_id = ${memberId} order by created_at desc, id desc limit 2`),
    queryRows<{ summary: string; at: Date }>(db, sql`select summary, at from conversations where member_id = ${memberId} order by at desc, id desc limit 1`),
  ])
  return [
    ...affinities.slice(0, 3).map((a) => `Likes ${a.subject} (${a.why.charAt(0).toLowerCase()}${a.why.slice(1)})`),
    ...notes.map((n) => `Noted: ${n.body}`),
    ...(talk ? [`Last time (${new Date(talk.at).toISOString().slice(0, 10)}): ${talk.summary}`] : []),
  ]
}

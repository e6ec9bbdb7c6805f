import { and, desc, eq, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError, NotFound } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { consentsOf, resolveMemberId } from '../members/index.js'
import { type preferenceKinds, type preferenceSubjects, tastePreferences } from './schema.js'

/** Signals fade: a purchase counts half as much after this many days. */
export const tasteHalfLifeDays = 180

export interface Affinity {
  kind: 'category' | 'brand'
  subject: string
  /** 0–1, the strongest of the member's affinities being 1. */
  strength: number
  why: string
}

interface SignalRow {
  kind: 'category' | 'brand'
  subject: string
  score: number
  bought: number
  returned: number
  wished: number
  reviewed: number
  shared: number
  last_at: Date | null
}

const dayMonth = (at: Date) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(at)

/** "Bought 4 times, most recently 12 Oct 2026; returned once": the evidence behind an affinity. */
function because(row: SignalRow) {
  const parts: string[] = []
  if (row.bought) parts.push(`bought ${row.bought === 1 ? 'once' : `${row.bought} times`}`)
  if (row.wished) parts.push(`added to your wishlist ${row.wished === 1 ? 'once' : `${row.wished} times`}`)
  if (row.reviewed) parts.push(`reviewed ${row.reviewed === 1 ? 'once' : `${row.reviewed} times`}`)
  if (row.shared) parts.push(`put in a cart shared with friends ${row.shared === 1 ? 'once' : `${row.shared} times`}`)
  if (row.returned) parts.push(`returned ${row.returned === 1 ? 'once' : `${row.returned} times`}`)
  const text = row.last_at ? `${parts.join(', ')}; most recently ${dayMonth(new Date(row.last_at))}` : parts.join(', ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * Affinities learnt from what the member did: purchases (+1 a line), returns (−1), wishlist adds
 * (+0.5), reviews (rating 5 → +1, 1 → −1), what they put in a cart shared with friends in a live
 * room (+0.5) and suggestions waved away (not for me −1, dismissed −0.3), each fading with a half-life of 180 days, summed per
 * category and brand. Subjects the member said they dislike are left out.
 */
export async function learnedAffinities(db: Db, memberId: string, asOf: Date, limit = 8): Promise<Affinity[]> {
  const rows = await queryRows<SignalRow>(
    db,
    sql`with signals as (
          select l.sku, a.occurred_at, case when a.kind = 'purchase' then 1.0 else -1.0 end as weight,
                 (a.kind = 'purchase')::int as bought, (a.kind = 'return')::int as returned, 0 as wished, 0 as reviewed, 0 as shared
            from activities a join activity_lines l on l.member_id = a.member_id and l.activity_id = a.id
           where a.member_id = ${memberId} and a.kind in ('purchase', 'return') and a.occurred_at <= ${asOf}
          union all
          select a.details->>'sku', a.occurred_at,
                 case when a.kind = 'wishlist_add' then 0.5 else coalesce(((a.details->>'rating')::numeric - 3) / 2, 0.5) end,
                 0, 0, (a.kind = 'wishlist_add')::int, (a.kind = 'review')::int, 0
            from activities a
           where a.member_id = ${memberId} and a.kind in ('wishlist_add', 'review') and a.details ? 'sku' and a.occurred_at <= ${asOf}
          union all
          -- Shopping with friends: what the member put in a room's shared cart (rooms/cart.ts), removed or not.
          select c.sku, c.added_at, 0.5, 0, 0, 0, 0, 1
            from room_participants p join room_cart_lines c on c.room_id = p.room_id and c.added_by = p.id
           where p.member_id = ${memberId} and c.added_at <= ${asOf}
          union all
          -- Suggestions waved away lower the taste for what they were: "not for me" −1, dismissed −0.3.
          select f.sku, f.at, case when f.event = 'not_for_me' then -1.0 else -0.3 end, 0, 0, 0, 0, 0
            from suggestion_feedback f
           where f.member_id = ${memberId} and f.event in ('not_for_me', 'dismissed') and f.at <= ${asOf}),
        faded as (
          select s.*, s.weight * power(0.5, extract(epoch from ${asOf}::timestamptz - s.occurred_at) / 86400 / ${tasteHalfLifeDays}) as score,
                 array_to_string(p.category, ' > ') as category, p.brand
            from signals s join products p on p.sku = s.sku),
        subjects as (
          select 'category' as kind, category as subject, * from faded where category <> ''
          union all
          select 'brand', brand, * from faded where brand is not null)
        select kind, subject, sum(score)::float8 as score, sum(bought)::int as bought, sum(returned)::int as returned,
               sum(wished)::int as wished, sum(reviewed)::int as reviewed, sum(shared)::int as shared,
               -- The evidence's own date: a suggestion waved away today is no purchase today.
               max(occurred_at) filter (where bought + returned + wished + reviewed + shared > 0) as last_at
          from subjects s
         where not exists (select 1 from taste_preferences t where t.member_id = ${memberId} and t.kind = 'dislike'
                             and t.subject_kind = s.kind and lower(t.subject) = lower(s.subject))
         group by kind, subject
        having sum(score) > 0
         order by sum(score) desc
         limit ${limit * 2}`,
  )
  return (['category', 'brand'] as const).flatMap((kind) => {
    const ofKind = rows.filter((r) => r.kind === kind).slice(0, limit)
    const strongest = Math.max(...ofKind.map((r) => r.score), Number.MIN_VALUE)
    return ofKind.map((r) => ({ kind, subject: r.subject, strength: Number((r.score / strongest).toFixed(3)), why: because(r) }))
  })
}

/** The member's taste as they or staff see it: learnt affinities (only with profiling consent) and what was said outright. */
export async function tasteProfile(deps: Pick<Deps, 'db' | 'clock'>, requestedId: string) {
  const memberId = await resolveMemberId(deps.db, requestedId)
  if (!memberId) throw new NotFound('Member', requestedId)
  const profiling = (await consentsOf(deps.db, memberId)).find((c) => c.purpose === 'profiling')?.granted ?? false
  const [learned, preferences] = await Promise.all([
    profiling ? learnedAffinities(deps.db, memberId, deps.clock.now()) : Promise.resolve([]),
    deps.db.select().from(tastePreferences).where(eq(tastePreferences.memberId, memberId)).orderBy(desc(tastePreferences.createdAt), desc(tastePreferences.id)),
  ])
  return { profiling, learned, preferences }
}

type PreferenceKind = (typeof preferenceKinds)[number]
type SubjectKind = (typeof preferenceSubjects)[number]

/** How the member reads a preference: "Not for me: Home › Candles". */
const kindWords: Record<PreferenceKind, string> = { like: 'I like', dislike: 'Not for me', size: 'My size', note: 'Note', never_suggest: 'Never suggest' }
export const inWords = (kind: PreferenceKind, subject: string) => `${kindWords[kind]}: ${subject.replaceAll(' > ', ' › ')}`

/** A category, brand or product the catalogue does not have: nothing to like or avoid. */
export class UnknownTasteSubject extends DomainError {
  constructor(subjectKind: 'category' | 'brand' | 'sku', subject: string, nearby: string[] = []) {
    const what = { category: 'category', brand: 'brand', sku: 'product with the code' }[subjectKind]
    const hint = nearby.length ? ` Try ${nearby.map((c) => `“${c.replaceAll(' > ', ' › ')}”`).join(', ')}.` : ''
    super('/problems/unknown-taste-subject', 422, 'The shop has nothing by that name', { field: 'subject' }, `We have no ${what} “${subject}”.${hint}`)
  }
}

/** The same thing said twice: the first one stands. */
export class PreferenceAlreadySaid extends DomainError {
  constructor(kind: PreferenceKind, subject: string) {
    super('/problems/preference-already-said', 409, 'That is already on the taste profile', { field: 'subject' }, `Already said: “${inWords(kind, subject)}”.`)
  }
}

/**
 * The subject as the catalogue spells it: a category path ("home › candles", "Home > Candles" and
 * "Home/Candles" all name "Home > Candles", or any level above it), a brand, a product code. Sizes,
 * attributes and notes are the member's own words.
 */
async function catalogueSubject(db: Db, subjectKind: SubjectKind, said: string): Promise<string> {
  const subject = said.trim()
  if (subjectKind === 'category') {
    const path = subject.split(/\s*[›>/]\s*/).filter(Boolean)
    const [known] = await queryRows<{ path: string }>(
      db,
      sql`select array_to_string(category[1:${path.length}], ' > ') as path from products
           where cardinality(category) >= ${path.length}
             and array(select lower(c) from unnest(category[1:${path.length}]) c) = ${sql.param(path.map((c) => c.toLowerCase()))}::text[]
           limit 1`,
    )
    if (!known || path.length === 0) {
      // What there is: the categories one level below the longest part of the path that exists (the top level at worst).
      const nearby = await queryRows<{ path: string }>(
        db,
        sql`with said as (select ${sql.param(path.map((c) => c.toLowerCase()))}::text[] as path),
             known as (select distinct category[1:n] as path from products, generate_series(1, cardinality(category)) n)
             select array_to_string(k.path, ' > ') as path from known k, said
              where cardinality(k.path) = 1 + coalesce((select max(cardinality(p.path)) from known p
                      where array(select lower(c) from unnest(p.path) c) = said.path[1:cardinality(p.path)]), 0)
                and (cardinality(k.path) = 1 or array(select lower(c) from unnest(k.path[1:cardinality(k.path) - 1]) c) = said.path[1:cardinality(k.path) - 1])
              order by 1 limit 5`,
      )
      throw new UnknownTasteSubject(
        'category',
        subject,
        nearby.map((n) => n.path),
      )
    }
    return known.path
  }
  if (subjectKind === 'brand' || subjectKind === 'sku') {
    const [known] = await queryRows<{ name: string }>(
      db,
      subjectKind === 'brand'
        ? sql`select brand as name from products where lower(brand) = lower(${subject}) limit 1`
        : sql`select sku as name from products where lower(sku) = lower(${subject}) limit 1`,
    )
    if (!known) throw new UnknownTasteSubject(subjectKind, subject)
    return known.name
  }
  return subject
}

/** Records what the member (or an associate for them) said; the catalogue's spelling, never twice the same. */
export async function addPreference(
  deps: Pick<Deps, 'db' | 'clock'>,
  memberId: string,
  input: { kind: PreferenceKind; subjectKind: SubjectKind; subject: string },
  actor: Principal,
) {
  return deps.db.transaction(async (tx) => {
    const subject = await catalogueSubject(tx, input.subjectKind, input.subject)
    // Two saves at once both pass this check: the member's preferences are few and a twin is harmless,
    // so a lookup, not a unique index over lower(subject).
    const [said] = await queryRows<{ id: string }>(
      tx,
      sql`select id from taste_preferences where member_id = ${memberId} and kind = ${input.kind} and subject_kind = ${input.subjectKind}
            and lower(subject) = lower(${subject}) limit 1`,
    )
    if (said) throw new PreferenceAlreadySaid(input.kind, subject)
    const [row] = await tx
      .insert(tastePreferences)
      .values({
        memberId,
        id: newId(),
        kind: input.kind,
        subjectKind: input.subjectKind,
        subject,
        recordedBy: actor.kind === 'member' ? 'member' : actor.kind === 'staff' ? actor.displayName : actor.name,
        createdAt: deps.clock.now(),
      })
      .returning()
    await recordAudit(tx, deps.clock.now(), actor, {
      action: 'member.taste_recorded',
      targetKind: 'taste_preference',
      targetId: row.id,
      memberId,
      after: { kind: row.kind, subjectKind: row.subjectKind, subject: row.subject },
    })
    return row
  })
}

export async function removePreference(deps: Pick<Deps, 'db' | 'clock'>, memberId: string, id: string, actor: Principal) {
  await deps.db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(tastePreferences)
      .where(and(eq(tastePreferences.memberId, memberId), eq(tastePreferences.id, id)))
      .returning()
    if (!removed) throw new NotFound('Preference', id)
    await recordAudit(tx, deps.clock.now(), actor, {
      action: 'member.taste_removed',
      targetKind: 'taste_preference',
      targetId: id,
      memberId,
      before: { kind: removed.kind, subjectKind: removed.subjectKind, subject: removed.subject },
    })
  })
}

/** Who a taste learnt from a member's own rating is recorded by, so a new rating replaces it. */
const fromRating = 'their review'

/**
 * What a member's rating of a product says about their taste: 4–5 stars a like of the product,
 * 1–2 a dislike (so it is never suggested to them), 3 nothing; `rating` null forgets it (the review
 * was hidden or erased). One taste per member and product, replaced when the rating changes.
 */
export async function learnFromRating(db: Db, { memberId, sku, rating, at }: { memberId: string; sku: string; rating: number | null; at: Date }) {
  await db
    .delete(tastePreferences)
    .where(
      and(
        eq(tastePreferences.memberId, memberId),
        eq(tastePreferences.subjectKind, 'sku'),
        eq(tastePreferences.subject, sku),
        eq(tastePreferences.recordedBy, fromRating),
      ),
    )
  const kind = rating === null ? null : rating >= 4 ? 'like' : rating <= 2 ? 'dislike' : null
  if (!kind) return
  await db.insert(tastePreferences).values({ memberId, id: newId(), kind, subjectKind: 'sku', subject: sku, recordedBy: fromRating, createdAt: at })
}

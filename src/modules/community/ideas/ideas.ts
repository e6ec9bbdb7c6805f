import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Principal } from '../../../platform/auth/principal.js'
import { type Db, queryRows } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { DomainError, NotFound } from '../../../platform/http/problems.js'
import { newId } from '../../../platform/ids.js'
import { catalogueCategories, storeRegions } from '../../activity/index.js'
import { type ModerationTarget, screenContent } from '../moderation/index.js'
import { ensureParticipationKinds, recordParticipation } from './participation.js'
import { closedStatuses, ideaComments, ideaDemand, ideaFollows, ideaProducts, ideaStatusChanges, ideas, ideaVotes } from './schema.js'

export type IdeaRow = typeof ideas.$inferSelect
export type IdeaScope = IdeaRow['scope']

export class UnknownStore extends DomainError {
  constructor(storeId: string) {
    super(
      '/problems/unknown-store',
      400,
      'There is no such store',
      { errors: [{ field: 'body/storeId', message: 'That store isn’t one of ours' }] },
      `No store has id ${storeId}.`,
    )
  }
}

export class ScopeNeedsItsPlace extends DomainError {
  constructor(scope: string, field: string) {
    super('/problems/idea-scope', 400, `An idea for a ${scope} needs to say which`, {
      errors: [{ field: `body/${field}`, message: `Say which ${scope} the idea is for` }],
    })
  }
}

export class IdeaClosed extends DomainError {
  constructor(status: string) {
    super(
      '/problems/idea-closed',
      409,
      'This idea is closed',
      { status },
      `It is ${status.replaceAll('_', ' ')}: it takes no more votes, pledges or status changes.`,
    )
  }
}

export const isClosed = (status: string) => (closedStatuses as readonly string[]).includes(status)

export interface NewIdea {
  kind: IdeaRow['kind']
  title: string
  body: string
  scope: IdeaScope
  storeId?: string
  region?: string
  category?: string
}

/**
 * A member shares an idea: it starts `new`, its author follows it, and `idea_shared` is recorded on
 * their timeline once (in the same transaction as the idea, keyed by its id).
 */
export async function createIdea(deps: Pick<Deps, 'db' | 'clock' | 'wiring'>, memberId: string, input: NewIdea) {
  const now = deps.clock.now()
  const place = await placeOf(deps.db, input)
  await ensureParticipationKinds(deps)
  const id = newId()
  await deps.db.transaction(async (tx) => {
    // One screen for every member's post (bans, word filters, rate limit, first posts held): a held idea is hidden until a moderator restores it.
    const screened = await screenContent(
      { db: tx, clock: deps.clock },
      { kind: 'idea', contentId: id, memberId, text: `${input.title}\n${input.body}`, storeId: place.storeId },
    )
    const hidden = screened.status !== 'published'
    await tx.insert(ideas).values({
      id,
      authorId: memberId,
      kind: input.kind,
      title: input.title.trim(),
      body: input.body.trim(),
      ...place,
      createdAt: now,
      statusChangedAt: now,
      hidden,
    })
    await tx.insert(ideaStatusChanges).values({ ideaId: id, id: newId(), status: 'new', at: now })
    await tx.insert(ideaFollows).values({ ideaId: id, memberId, since: now })
    // A held idea earns nothing: idea_shared is for ideas others can see.
    if (!hidden) await recordParticipation(deps, tx, memberId, 'idea_shared', `idea:${id}`, { ideaId: id, title: input.title }, now)
  })
  return id
}

/** Where an idea belongs: a store's idea also names the store's region, so the region's board shows it. */
async function placeOf(db: Db, input: NewIdea) {
  const category = input.category?.trim() || null
  if (input.scope === 'store') {
    if (!input.storeId) throw new ScopeNeedsItsPlace('store', 'storeId')
    const store = (await storeRegions(db)).get(input.storeId)
    if (!store) throw new UnknownStore(input.storeId)
    return { scope: input.scope, storeId: input.storeId, region: store.region, category }
  }
  if (input.scope === 'region' && !input.region?.trim()) throw new ScopeNeedsItsPlace('region', 'region')
  if (input.scope === 'category' && !category) throw new ScopeNeedsItsPlace('category', 'category')
  return { scope: input.scope, storeId: null, region: input.scope === 'region' ? (input.region?.trim() ?? null) : null, category }
}

/** An idea a caller may see: members never see hidden ones; "not there" and "hidden" are the same 404. */
export async function visibleIdea(db: Db, ideaId: string, caller: Principal | undefined): Promise<IdeaRow> {
  const [idea] = await db.select().from(ideas).where(eq(ideas.id, ideaId))
  const own = caller?.kind === 'member' && idea?.authorId === caller.memberId // an author sees their own idea while it is held
  if (!idea || (idea.hidden && caller?.kind !== 'staff' && !own)) throw new NotFound('Idea', ideaId)
  return idea
}

export type BoardSort = 'support' | 'newest' | 'status'
export interface BoardQuery {
  sort?: BoardSort
  status?: IdeaRow['status']
  scope?: IdeaScope
  storeId?: string
  region?: string
  category?: string
  mine?: 'voted' | 'following' | 'shared'
  limit?: number
  offset?: number
}

const statusOrder = sql`case ${ideas.status} when 'new' then 0 when 'under_review' then 1 when 'planned' then 2 when 'in_stock' then 3 when 'declined' then 4 else 5 end`

/**
 * The ideas board: one indexed read of ideas (support is kept on the idea row, so sorting by it
 * reads no votes), with each idea's store and the caller's own vote and follow on it.
 */
export async function ideasBoard(db: Db, caller: Principal | undefined, query: BoardQuery) {
  const memberId = caller?.kind === 'member' ? caller.memberId : undefined
  const limit = query.limit ?? 20
  const where = [
    caller?.kind === 'staff' ? undefined : sql`not ${ideas.hidden}`,
    query.status ? eq(ideas.status, query.status) : sql`${ideas.status} <> 'merged'`,
    query.scope ? eq(ideas.scope, query.scope) : undefined,
    query.storeId ? eq(ideas.storeId, query.storeId) : undefined,
    query.region ? eq(ideas.region, query.region) : undefined,
    query.category ? sql`lower(${ideas.category}) = lower(${query.category})` : undefined,
    query.mine && memberId ? mineFilter(query.mine, memberId) : undefined,
  ]
  const order =
    query.sort === 'newest'
      ? [desc(ideas.createdAt), desc(ideas.id)]
      : query.sort === 'status'
        ? [asc(statusOrder), desc(ideas.support), desc(ideas.id)]
        : [desc(ideas.support), desc(ideas.id)]
  // One indexed read of the maintained tally (ideas_board_*_idx) with the member's own marks alongside,
  // whatever the page; the stores' names come from activity beside it (a small table, read at the same time).
  const [found, shops] = await Promise.all([
    db
      .select({
        idea: ideas,
        myVote: memberId
          ? sql<boolean>`exists (select 1 from ${ideaVotes} v where v.idea_id = ${ideas.id} and v.member_id = ${memberId} and v.withdrawn_at is null)`
          : sql<boolean>`false`,
        following: memberId
          ? sql<boolean>`exists (select 1 from ${ideaFollows} f where f.idea_id = ${ideas.id} and f.member_id = ${memberId})`
          : sql<boolean>`false`,
      })
      .from(ideas)
      .where(and(...where))
      .orderBy(...order)
      .limit(limit + 1)
      .offset(query.offset ?? 0),
    storeRegions(db),
  ])
  const rows = found.map((row) => ({ ...row, storeName: row.idea.storeId ? (shops.get(row.idea.storeId)?.name ?? null) : null }))
  return { ideas: rows.slice(0, limit), more: rows.length > limit }
}

function mineFilter(mine: NonNullable<BoardQuery['mine']>, memberId: string) {
  if (mine === 'shared') return eq(ideas.authorId, memberId)
  if (mine === 'following') return sql`exists (select 1 from ${ideaFollows} f where f.idea_id = ${ideas.id} and f.member_id = ${memberId})`
  return sql`exists (select 1 from ${ideaVotes} v where v.idea_id = ${ideas.id} and v.member_id = ${memberId} and v.withdrawn_at is null)`
}

async function ownMarks(db: Db, memberId: string, ideaIds: string[]) {
  if (ideaIds.length === 0) return { votes: new Set<string>(), follows: new Set<string>() }
  const rows = await queryRows<{ idea_id: string; what: 'vote' | 'follow' }>(
    db,
    sql`select idea_id, 'vote' as what from idea_votes where member_id = ${memberId} and idea_id = any(${sql.param(ideaIds)}::uuid[]) and withdrawn_at is null
        union all select idea_id, 'follow' from idea_follows where member_id = ${memberId} and idea_id = any(${sql.param(ideaIds)}::uuid[])`,
  )
  return {
    votes: new Set(rows.filter((r) => r.what === 'vote').map((r) => r.idea_id)),
    follows: new Set(rows.filter((r) => r.what === 'follow').map((r) => r.idea_id)),
  }
}

/** An idea's page: its history, the products that answered it, its comments, and the demand on its ladder. */
export async function ideaDetails(db: Db, idea: IdeaRow, caller: Principal | undefined) {
  const staff = caller?.kind === 'staff'
  const memberId = caller?.kind === 'member' ? caller.memberId : undefined
  const [history, answered, comments, demand, mine] = await Promise.all([
    db.select().from(ideaStatusChanges).where(eq(ideaStatusChanges.ideaId, idea.id)).orderBy(asc(ideaStatusChanges.at), asc(ideaStatusChanges.id)),
    db
      .select({ sku: ideaProducts.sku, linkedAt: ideaProducts.linkedAt })
      .from(ideaProducts)
      .where(eq(ideaProducts.ideaId, idea.id))
      .orderBy(asc(ideaProducts.sku)),
    db
      .select()
      .from(ideaComments)
      .where(and(eq(ideaComments.ideaId, idea.id), staff ? undefined : eq(ideaComments.hidden, false)))
      .orderBy(asc(ideaComments.createdAt), asc(ideaComments.id)),
    demandOf(db, idea.id),
    memberId ? ownStanding(db, idea.id, memberId) : undefined,
  ])
  return { history, products: answered, comments, demand, mine }
}

/** "I'd buy it" and pledges on one idea: how many, at what price points, how many units. */
async function demandOf(db: Db, ideaId: string) {
  const [row] = await queryRows<{ would_buy: number; pledges: number; units: number; median_price_minor: number | null; currency: string | null }>(
    db,
    sql`select count(*) filter (where kind = 'would_buy')::int as would_buy,
               count(*) filter (where kind = 'pledge')::int as pledges,
               coalesce(sum(quantity) filter (where kind = 'pledge'), 0)::int as units,
               percentile_disc(0.5) within group (order by price_minor) as median_price_minor,
               min(currency) as currency
          from idea_demand where idea_id = ${ideaId} and cancelled_at is null`,
  )
  return {
    wouldBuy: row.would_buy,
    pledges: row.pledges,
    pledgedUnits: row.units,
    medianPriceMinor: row.median_price_minor === null ? null : Number(row.median_price_minor),
    currency: row.currency,
  }
}

async function ownStanding(db: Db, ideaId: string, memberId: string) {
  const [[vote], [follow], demand] = await Promise.all([
    db
      .select()
      .from(ideaVotes)
      .where(and(eq(ideaVotes.ideaId, ideaId), eq(ideaVotes.memberId, memberId))),
    db
      .select()
      .from(ideaFollows)
      .where(and(eq(ideaFollows.ideaId, ideaId), eq(ideaFollows.memberId, memberId))),
    db
      .select()
      .from(ideaDemand)
      .where(and(eq(ideaDemand.ideaId, ideaId), eq(ideaDemand.memberId, memberId), sql`${ideaDemand.cancelledAt} is null`)),
  ])
  return {
    vote: vote && !vote.withdrawnAt ? { weight: vote.weight / 100, castAt: vote.castAt, returned: vote.returnedAt !== null } : null,
    following: Boolean(follow),
    wouldBuy: demand.find((d) => d.kind === 'would_buy') ?? null,
    pledge: demand.find((d) => d.kind === 'pledge') ?? null,
  }
}

export async function followIdea(deps: Pick<Deps, 'db' | 'clock'>, memberId: string, idea: IdeaRow) {
  await deps.db.insert(ideaFollows).values({ ideaId: idea.id, memberId, since: deps.clock.now() }).onConflictDoNothing()
}

export async function unfollowIdea(db: Db, memberId: string, ideaId: string) {
  await db.delete(ideaFollows).where(and(eq(ideaFollows.ideaId, ideaId), eq(ideaFollows.memberId, memberId)))
}

/**
 * A comment from a member, or from the shop: a staff comment is the idea's first answer when
 * nothing answered it before (closing the loop counts it).
 */
export async function commentOn(deps: Pick<Deps, 'db' | 'clock'>, caller: Principal, idea: IdeaRow, body: string) {
  const now = deps.clock.now()
  const id = newId()
  const author = caller.kind === 'member' ? { memberId: caller.memberId } : { userId: caller.kind === 'staff' ? caller.userId : null }
  return deps.db.transaction(async (tx) => {
    const screened =
      caller.kind === 'member'
        ? await screenContent({ db: tx, clock: deps.clock }, { kind: 'comment', contentId: id, memberId: caller.memberId, text: body, storeId: idea.storeId })
        : undefined
    const hidden = screened !== undefined && screened.status !== 'published'
    const [comment] = await tx
      .insert(ideaComments)
      .values({ ideaId: idea.id, id, ...author, body: body.trim(), createdAt: now, hidden })
      .returning()
    if (caller.kind === 'staff')
      await tx
        .update(ideas)
        .set({ firstAnsweredAt: sql`coalesce(${ideas.firstAnsweredAt}, ${now})` })
        .where(eq(ideas.id, idea.id))
    return comment
  })
}

/**
 * Ideas for a member's places: the whole retailer's, their stores', their stores' regions', and
 * those of the categories they buy in (`categories`, lower-cased: activity's `categoriesBoughtBy`).
 */
export async function ideasNear(db: Db, caller: Principal, storeIds: string[], categories: string[], limit = 5) {
  const stores = await storeRegions(db)
  const regions = [...new Set(storeIds.flatMap((id) => stores.get(id)?.region ?? []))]
  const memberId = caller.kind === 'member' ? caller.memberId : undefined
  const rows = await db
    .select()
    .from(ideas)
    .where(
      and(
        sql`not ${ideas.hidden} and ${ideas.status} in ('new', 'under_review', 'planned')`,
        sql`(${ideas.scope} = 'retailer'
             or (${ideas.scope} = 'category' and lower(${ideas.category}) = any(${sql.param(categories)}::text[]))
             or (${ideas.scope} = 'store' and ${ideas.storeId} = any(${sql.param(storeIds)}::uuid[]))
             or (${ideas.scope} = 'region' and ${ideas.region} = any(${sql.param(regions)}::text[])))`,
      ),
    )
    .orderBy(sql`(${ideas.scope} = 'store') desc`, desc(ideas.support), desc(ideas.id))
    .limit(limit)
  const mine = memberId
    ? await ownMarks(
        db,
        memberId,
        rows.map((i) => i.id),
      )
    : undefined
  return rows.map((idea) => ({ idea, myVote: mine?.votes.has(idea.id) ?? false, following: mine?.follows.has(idea.id) ?? false }))
}

/** What an idea can be for: the stores (with their regions), the regions, and the catalogue's categories. */
export async function ideaPlaces(db: Db) {
  const [stores, categories] = await Promise.all([storeRegions(db), catalogueCategories(db)])
  const list = [...stores].map(([id, s]) => ({ id, name: s.name, region: s.region })).sort((a, b) => a.name.localeCompare(b.name))
  return { stores: list, regions: [...new Set(list.flatMap((s) => s.region ?? []))].sort(), categories }
}

/**
 * Moderation can hide and restore ideas (bound to the app's deps in src/composition.ts): a hidden idea
 * leaves the board; a shown one records its author's `idea_shared`, which a held idea never did. The
 * activity's receipt (`idea:<id>`, the key sharing uses) makes it once, however often it is restored.
 */
export function ideaModeration(deps: Pick<Deps, 'clock' | 'wiring'>): ModerationTarget {
  return {
    kind: 'idea',
    async setVisible(db, contentId, visible) {
      const [idea] = await db
        .update(ideas)
        .set({ hidden: !visible })
        .where(eq(ideas.id, contentId))
        .returning({ id: ideas.id, authorId: ideas.authorId, title: ideas.title })
      if (!visible || !idea?.authorId) return
      await ensureParticipationKinds({ db, clock: deps.clock })
      await recordParticipation(deps, db, idea.authorId, 'idea_shared', `idea:${idea.id}`, { ideaId: idea.id, title: idea.title }, deps.clock.now())
    },
    async describe(db, contentIds) {
      if (contentIds.length === 0) return []
      const rows = await db.select({ id: ideas.id, title: ideas.title, body: ideas.body }).from(ideas).where(inArray(ideas.id, contentIds))
      return rows.map((r) => ({ contentId: r.id, text: `${r.title}\n${r.body}`, about: `Idea: ${r.title}`, link: `/ideas/${r.id}` }))
    },
  }
}

export const ideaCommentModeration: ModerationTarget = {
  kind: 'comment',
  async setVisible(db, contentId, visible) {
    await db.update(ideaComments).set({ hidden: !visible }).where(eq(ideaComments.id, contentId))
  },
  async describe(db, contentIds) {
    if (contentIds.length === 0) return []
    const rows = await db
      .select({ id: ideaComments.id, body: ideaComments.body, ideaId: ideaComments.ideaId, title: ideas.title })
      .from(ideaComments)
      .innerJoin(ideas, eq(ideas.id, ideaComments.ideaId))
      .where(inArray(ideaComments.id, contentIds))
    return rows.map((r) => ({ contentId: r.id, text: r.body, about: `Comment on the idea “${r.title}”`, link: `/ideas/${r.ideaId}` }))
  },
}

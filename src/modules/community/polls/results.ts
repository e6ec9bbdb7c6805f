import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../platform/db/index.js'
import { listStores } from '../../activity/index.js'
import { latestSegments } from '../../insights/index.js'
import { estimatePairwise } from './estimate.js'
import { pollFor } from './service.js'

/** The segments a breakdown names, in the order leadership reads them (insights' segments). */
export const breakdownSegments = ['price_driven', 'relationship_driven', 'fluctuating', 'new', 'lapsed'] as const

export interface OptionResult {
  id: string
  label: string
  /** Pairwise: the chance it beats a random other option; classic: the share of voices choosing it. */
  score: number
  low: number
  high: number
  /** Pairwise: choices it won; classic: voices for it. */
  count: number
}
export interface ResultGroup {
  /** A segment's code or a store's id; the whole poll is 'all'. */
  key: string
  name: string
  voices: number
  options: OptionResult[]
}

/**
 * A poll's results for staff: every option's score and 95% interval, overall, by member segment and
 * by store. One voice per live member: answers of merged accounts count once, as their survivor's.
 * Pairwise: a Bradley–Terry estimate (estimate.ts) fitted to each group's choices; classic: the share
 * of voices choosing each option, with its Wilson interval.
 */
export async function pollResults(db: Db, pollId: string, now: Date) {
  const poll = await pollFor(db, pollId, now)
  const published = poll.options.filter((o) => o.status === 'published')
  const voices = poll.kind === 'pairwise' ? await pairwiseVoices(db, pollId) : await classicVoices(db, pollId)
  const segments = await latestSegments(db, [...new Set(voices.map((v) => v.voter))])
  const stores = new Map((await listStores(db)).map((s) => [s.id, s.name]))
  const score = (rows: Voice[]) => (poll.kind === 'pairwise' ? scorePairwise(published, rows) : scoreClassic(published, rows))
  const group = (key: string, name: string, rows: Voice[]): ResultGroup => ({ key, name, voices: new Set(rows.map((r) => r.voter)).size, options: score(rows) })
  const bySegment = breakdownSegments
    .map((segment) =>
      group(
        segment,
        segmentNames[segment],
        voices.filter((v) => segments.get(v.voter) === segment),
      ),
    )
    .filter((g) => g.voices > 0)
  const storeIds = [...new Set(voices.map((v) => v.storeId).filter((id): id is string => id !== null))]
  const byStore = storeIds
    .map((id) =>
      group(
        id,
        stores.get(id) ?? 'Unknown store',
        voices.filter((v) => v.storeId === id),
      ),
    )
    .sort((a, b) => b.voices - a.voices)
  return {
    poll,
    overall: group('all', 'Everyone', voices),
    bySegment,
    byStore,
    method:
      poll.kind === 'pairwise'
        ? 'Bradley–Terry fitted to every choice; score = chance of beating a random other option; 95% interval by the delta method, robust to each voter’s own tastes'
        : 'Share of members choosing each option; 95% Wilson interval',
    pending: poll.options.filter((o) => o.status === 'pending'),
  }
}

const segmentNames: Record<(typeof breakdownSegments)[number], string> = {
  price_driven: 'Price-driven',
  relationship_driven: 'Relationship-driven',
  fluctuating: 'Fluctuating',
  new: 'New members',
  lapsed: 'Lapsed',
}

interface Voice {
  voter: string
  storeId: string | null
  /** Classic: the options chosen; pairwise: [winner, loser]. */
  options: string[]
}

/** Each live member's first answer (an account merged into another counts as the survivor). */
async function classicVoices(db: Db, pollId: string): Promise<Voice[]> {
  const rows = await queryRows<{ voter: string; store_id: string | null; option_ids: string[] }>(
    db,
    sql`select distinct on (live_member(member_id)) live_member(member_id) as voter, store_id, option_ids
        from poll_answers where poll_id = ${pollId}::uuid order by live_member(member_id), answered_at`,
  )
  return rows.map((r) => ({ voter: r.voter, storeId: r.store_id, options: r.option_ids }))
}

/** Each live member's first choice of each pair, skips left out. */
async function pairwiseVoices(db: Db, pollId: string): Promise<Voice[]> {
  const rows = await queryRows<{ voter: string; store_id: string | null; winner_id: string; loser_id: string }>(
    db,
    sql`select distinct on (live_member(member_id), option_a, option_b) live_member(member_id) as voter, store_id, winner_id,
               case when winner_id = option_a then option_b else option_a end as loser_id
        from pairwise_choices where poll_id = ${pollId}::uuid and winner_id is not null
        order by live_member(member_id), option_a, option_b, answered_at`,
  )
  return rows.map((r) => ({ voter: r.voter, storeId: r.store_id, options: [r.winner_id, r.loser_id] }))
}

type Published = { id: string; label: string }[]

function scorePairwise(options: Published, voices: Voice[]): OptionResult[] {
  const live = new Set(options.map((o) => o.id))
  // A choice involving an option declined later no longer counts.
  const choices = voices
    .filter((v) => live.has(v.options[0]) && live.has(v.options[1]))
    .map((v) => ({ voter: v.voter, winner: v.options[0], loser: v.options[1] }))
  const estimate = estimatePairwise(
    choices,
    options.map((o) => o.id),
  )
  const label = new Map(options.map((o) => [o.id, o.label]))
  return estimate.options.map((o) => ({ id: o.option, label: label.get(o.option) ?? '', score: o.score, low: o.low, high: o.high, count: o.wins }))
}

function scoreClassic(options: Published, voices: Voice[]): OptionResult[] {
  const n = voices.length
  return options
    .map((o) => {
      const count = voices.filter((v) => v.options.includes(o.id)).length
      const [low, high] = wilson(count, n)
      return { id: o.id, label: o.label, score: n ? count / n : 0, low, high, count }
    })
    .sort((a, b) => b.count - a.count)
}

/** The Wilson score interval for k of n at 95%: inside [0, 1], sensible at 0 and n. */
function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1]
  const z = 1.959963984540054
  const p = k / n
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n)
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n)
  return [Math.max(0, Math.min(p, centre - half)), Math.min(1, Math.max(p, centre + half))]
}

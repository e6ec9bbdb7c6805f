import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../../platform/db/index.js'
import type { DemandFinding, DemandPlace, DemandSource, DemandWindow } from '../../../platform/demand.js'
import { pollResults } from './results.js'

/** Where a poll's results belong in the feed: its category, store or region; a retailer-wide poll is about no one place. */
function placeOf(poll: { scope: string; scopeValue: string | null }): DemandPlace {
  if (poll.scope === 'category') return { category: poll.scopeValue, storeId: null }
  if (poll.scope === 'store') return { category: null, storeId: poll.scopeValue }
  if (poll.scope === 'region') return { category: null, storeId: null, region: poll.scopeValue }
  return { category: null, storeId: null }
}

/** Polls open during the window that someone answered, newest first: the 50 a planner can still act on. */
async function answeredPolls(db: Db, since: Date) {
  return queryRows<{ id: string }>(
    db,
    sql`select p.id from polls p
         where p.ends_at >= ${since}
           and (exists (select 1 from poll_answers a where a.poll_id = p.id) or exists (select 1 from pairwise_choices c where c.poll_id = p.id and c.winner_id is not null))
         order by p.created_at desc limit 50`,
  )
}

async function pollFindings(db: Db, { since, now }: DemandWindow) {
  const found: DemandFinding[] = []
  for (const { id } of await answeredPolls(db, since)) {
    const results = await pollResults(db, id, now)
    const { poll, overall } = results
    if (overall.voices === 0) continue
    found.push({
      ...placeOf(poll),
      kind: 'poll',
      pollId: poll.id,
      question: poll.question,
      pollKind: poll.kind,
      voices: overall.voices,
      endsAt: poll.endsAt,
      options: [...overall.options].sort((a, b) => b.score - a.score).map((o) => ({ label: o.label, score: o.score, low: o.low, high: o.high })),
    })
  }
  return found
}

/**
 * Poll results in the merchandising feed (platform/demand.ts): per poll, at the poll's place, each
 * option's estimated preference (pairwise: the chance it beats a random other option) or vote share
 * (classic), with its interval and the number of voices; `poll_voices` sums those voices per place.
 */
export const pollsDemand: DemandSource = {
  name: 'polls',
  async collect(db, window) {
    return (await pollFindings(db, window)).map((f) => ({
      category: f.category,
      storeId: f.storeId,
      region: f.region,
      measure: 'poll_voices',
      value: f.kind === 'poll' ? f.voices : 0,
    }))
  },
  findings: pollFindings,
}

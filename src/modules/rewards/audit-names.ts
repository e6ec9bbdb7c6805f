import { inArray, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/index.js'
import { earningRules, rewards } from './schema.js'

/** Rewards' and earning rules' names (a rule's newest version) for the audit trail. */
export async function rewardsAuditNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  const [catalogue, rules] = await Promise.all([
    db.select({ id: rewards.id, name: rewards.name }).from(rewards).where(inArray(rewards.id, ids)),
    db
      .selectDistinctOn([earningRules.id], { id: earningRules.id, name: sql<string>`${earningRules.document}->>'name'` })
      .from(earningRules)
      .where(inArray(earningRules.id, ids))
      .orderBy(earningRules.id, sql`${earningRules.version} desc`),
  ])
  return new Map([...catalogue, ...rules].map((row) => [row.id, row.name]))
}

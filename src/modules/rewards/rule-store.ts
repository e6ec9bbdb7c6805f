import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError, type FieldError, inWords, NotFound } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { inRuleWords, type Rule, type RuleDocument, ruleErrors } from './rules.js'
import { earningRules } from './schema.js'

/** The problem for a rule that does not fit, from the route's schema and from `ruleErrors` alike. */
export const invalidRule = { type: '/problems/invalid-rule', title: 'The rule is not valid', reword: inRuleWords }

export class InvalidRule extends DomainError {
  constructor(errors: FieldError[]) {
    super(invalidRule.type, 400, invalidRule.title, { errors }, inWords(errors))
  }
}

interface RuleRow {
  id: string
  version: number
  status: 'active' | 'retired'
  document: RuleDocument
  starts_at: Date | null
  ends_at: Date | null
  created_at: Date
  created_by: string
}
const toRule = (r: RuleRow) => ({
  id: r.id,
  version: r.version,
  status: r.status,
  document: r.document,
  startsAt: r.starts_at ? new Date(r.starts_at) : null,
  endsAt: r.ends_at ? new Date(r.ends_at) : null,
  createdAt: new Date(r.created_at),
  createdBy: r.created_by,
})

/** The newest version of every rule, active or retired, for the rules editor. */
export async function listRules(db: Db) {
  const rows = await queryRows<RuleRow>(db, sql`select distinct on (id) * from ${earningRules} order by id, version desc`)
  return rows.map(toRule).sort((a, b) => a.document.name.localeCompare(b.document.name))
}

/** Rules in force: the newest version of each rule, when that version is active. */
export async function activeRules(db: Db): Promise<Rule[]> {
  return (await listRules(db)).filter((r) => r.status === 'active')
}

/** Saves a rule as a new version (a new rule when `id` is absent); the old versions stay for the record. */
export async function saveRule(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { id?: string; document: unknown; startsAt?: string | null; endsAt?: string | null; status?: 'active' | 'retired' },
  actor: Principal,
) {
  const errors = ruleErrors(input.document)
  if (errors.length) throw new InvalidRule(errors)
  return deps.db.transaction(async (tx) => {
    const id = input.id ?? newId()
    const [latest] = await queryRows<{ version: number }>(tx, sql`select max(version)::int as version from ${earningRules} where id = ${id}`)
    if (input.id && !latest.version) throw new NotFound('Rule', input.id)
    const version = (latest.version ?? 0) + 1
    const createdBy = actor.kind === 'apiKey' ? `key:${actor.name}` : actor.displayName
    const [row] = await tx
      .insert(earningRules)
      .values({
        id,
        version,
        status: input.status ?? 'active',
        document: input.document,
        startsAt: input.startsAt ? new Date(input.startsAt) : null,
        endsAt: input.endsAt ? new Date(input.endsAt) : null,
        createdAt: deps.clock.now(),
        createdBy,
      })
      .returning()
    await recordAudit(tx, deps.clock.now(), actor, {
      action: 'rule.saved',
      targetKind: 'earning_rule',
      targetId: id,
      after: { version, status: row.status, document: input.document },
    })
    return { ...row, document: row.document as RuleDocument }
  })
}

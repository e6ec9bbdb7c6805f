import { eq } from 'drizzle-orm'
import { type Static, Type } from 'typebox'
import { recordAudit } from '../../../platform/audit/index.js'
import type { Principal } from '../../../platform/auth/principal.js'
import type { Db } from '../../../platform/db/index.js'
import type { Deps } from '../../../platform/deps.js'
import { DomainError, type FieldError } from '../../../platform/http/problems.js'
import { compileChecker } from '../../../platform/http/validation.js'
import { ideaSettings } from './schema.js'

const Factor = Type.Number({ minimum: 0, maximum: 10 })
const Threshold = Type.Integer({ minimum: 0, maximum: 1_000_000 })
const Ladder = Type.Object(
  {
    wouldBuy: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Weighted support at which "I’d buy it" opens' }),
    pledge: Threshold,
  },
  { additionalProperties: false },
)

/** How votes weigh, how many a member has, and the ladder's steps per scope (docs/community.md). */
export const IdeaSettings = Type.Object(
  {
    weights: Type.Object(
      {
        base: Type.Number({ minimum: 0.1, maximum: 10, description: 'What every member’s vote counts at least' }),
        relationship: Type.Number({ ...Factor, description: 'Added at a relationship score of 100 (scaled below it)' }),
        purchases: Type.Number({ ...Factor, description: 'Added at purchaseCap verified purchases in the idea’s category (scaled below it)' }),
        purchaseCap: Type.Integer({ minimum: 1, maximum: 100, description: 'Purchases in the category for the full purchases part' }),
      },
      { additionalProperties: false },
    ),
    budget: Type.Object(
      {
        votes: Type.Integer({ minimum: 1, maximum: 1000, description: 'Votes a member may have on open ideas per period' }),
        period: Type.Union([Type.Literal('week'), Type.Literal('month'), Type.Literal('quarter')]),
      },
      { additionalProperties: false },
    ),
    ladder: Type.Object(
      { retailer: Ladder, region: Ladder, store: Ladder, category: Ladder },
      { additionalProperties: false, description: 'Weighted support at which each step opens, per scope' },
    ),
    answeredWithinDays: Type.Integer({ minimum: 1, maximum: 365, description: 'Closing the loop: an idea counts as answered in time within this many days' }),
  },
  { additionalProperties: false, $id: 'IdeaSettings' },
)
export type IdeaSettings = Static<typeof IdeaSettings>

export const defaultIdeaSettings: IdeaSettings = {
  weights: { base: 1, relationship: 1, purchases: 1, purchaseCap: 5 },
  budget: { votes: 10, period: 'month' },
  ladder: {
    retailer: { wouldBuy: 50, pledge: 150 },
    region: { wouldBuy: 25, pledge: 75 },
    store: { wouldBuy: 10, pledge: 30 },
    category: { wouldBuy: 25, pledge: 75 },
  },
  answeredWithinDays: 14,
}

export class InvalidIdeaSettings extends DomainError {
  constructor(errors: FieldError[]) {
    super('/problems/invalid-idea-settings', 400, 'The idea settings are not valid', { errors }, errors.map((e) => `${e.field} ${e.message}`).join('; '))
  }
}

const check = compileChecker(IdeaSettings)

function settingsErrors(settings: unknown): FieldError[] {
  const errors = check(settings, 'body')
  if (errors.length) return errors
  for (const [scope, step] of Object.entries((settings as IdeaSettings).ladder)) {
    if (step.pledge < step.wouldBuy)
      errors.push({
        field: `body/ladder/${scope}/pledge`,
        message: `The pledge threshold for ${scope} ideas can’t be below its “I’d buy it” threshold: pledges come after it`,
      })
  }
  return errors
}

// Settings are read by every idea page and ladder step and saved rarely: kept per database for a few
// seconds (another process's change shows within them) and dropped the moment this process saves.
// Votes do not use this: cast_idea_vote reads the saved row itself.
const cacheMs = 5_000
const cached = new WeakMap<Db, { settings: IdeaSettings; until: number }>()

export async function getIdeaSettings(db: Db): Promise<IdeaSettings> {
  const hit = cached.get(db)
  if (hit && hit.until > Date.now()) return hit.settings
  const [row] = await db.select({ settings: ideaSettings.settings }).from(ideaSettings).where(eq(ideaSettings.id, 1))
  const settings = row ? (row.settings as IdeaSettings) : defaultIdeaSettings
  cached.set(db, { settings, until: Date.now() + cacheMs })
  return settings
}

/** Saves new settings (audited); new votes weigh by them, votes already cast keep their weight. */
export async function saveIdeaSettings(deps: Pick<Deps, 'db' | 'clock'>, settings: unknown, actor: Principal) {
  const errors = settingsErrors(settings)
  if (errors.length) throw new InvalidIdeaSettings(errors)
  const now = deps.clock.now()
  const saved = await deps.db.transaction(async (tx) => {
    const [row] = await tx.select({ settings: ideaSettings.settings }).from(ideaSettings).where(eq(ideaSettings.id, 1))
    const before = row ? row.settings : defaultIdeaSettings
    await tx
      .insert(ideaSettings)
      .values({ id: 1, settings, updatedAt: now })
      .onConflictDoUpdate({ target: ideaSettings.id, set: { settings, updatedAt: now } })
    await recordAudit(tx, now, actor, { action: 'ideas.settings_saved', targetKind: 'idea_settings', targetId: '1', before, after: settings })
    return settings as IdeaSettings
  })
  cached.delete(deps.db)
  return saved
}

/** The weight formula in the words members read beside every vote. */
export function weightInWords(s: IdeaSettings): string {
  const { base, relationship, purchases, purchaseCap } = s.weights
  const parts = [`every member’s vote counts ${base}`]
  if (relationship > 0) parts.push(`plus up to ${relationship} for how much you shop with us (your relationship score out of 100)`)
  if (purchases > 0) parts.push(`plus up to ${purchases} for your purchases in the idea’s category (full at ${purchaseCap})`)
  return `Members who shop with us count more; one person, one voice across all their cards and accounts: ${parts.join(', ')}.`
}

/** A vote's weight in hundredths: base + relationship × score/100 + purchases × min(bought, cap)/cap. */
export function voteWeight(s: IdeaSettings, score: number | null, purchasesInCategory: number) {
  const { base, relationship, purchases, purchaseCap } = s.weights
  const weight = base + (relationship * Math.min(Math.max(score ?? 0, 0), 100)) / 100 + (purchases * Math.min(purchasesInCategory, purchaseCap)) / purchaseCap
  return Math.max(1, Math.round(weight * 100))
}

/** The budget period a moment falls in, in UTC: `2026-12`, `2026-W49`, `2026-Q4`. */
export function budgetPeriod(period: IdeaSettings['budget']['period'], at: Date): string {
  const year = at.getUTCFullYear()
  if (period === 'month') return `${year}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`
  if (period === 'quarter') return `${year}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`
  // ISO week: the Thursday of this week decides the year.
  const day = new Date(Date.UTC(year, at.getUTCMonth(), at.getUTCDate()))
  day.setUTCDate(day.getUTCDate() + 4 - (day.getUTCDay() || 7))
  const week = Math.ceil(((day.getTime() - Date.UTC(day.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7)
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`
}

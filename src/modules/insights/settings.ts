import { eq } from 'drizzle-orm'
import { type Static, Type } from 'typebox'
import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import type { Db } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError, type FieldError, inWords } from '../../platform/http/problems.js'
import { compileChecker } from '../../platform/http/validation.js'
import { insightsSettings } from './schema.js'

const Weight = Type.Number({ minimum: 0, maximum: 100 })
const Kinds = Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{1,49}$' }), { maxItems: 50 })

/** How the relationship score and the segments are made; every figure is explained in docs/insights.md. */
export const InsightsSettings = Type.Object(
  {
    windowMonths: Type.Integer({ minimum: 1, maximum: 36, description: 'The score looks back this many months' }),
    weights: Type.Object(
      { recency: Weight, frequency: Weight, channels: Weight, participation: Weight, social: Weight, advice: Weight },
      { additionalProperties: false, description: 'How much each part counts; they need not sum to 100' },
    ),
    recencyHalfLifeDays: Type.Integer({ minimum: 1, maximum: 730, description: 'Recency halves every this many days since the last activity' }),
    frequencyTarget: Type.Integer({ minimum: 1, maximum: 365, description: 'Orders in the window for full marks on frequency' }),
    channelsTarget: Type.Integer({ minimum: 1, maximum: 10, description: 'Channels used for full marks on breadth' }),
    participationTarget: Type.Integer({ minimum: 1, maximum: 20, description: 'Different ways of taking part for full marks' }),
    socialTarget: Type.Integer({ minimum: 1, maximum: 100, description: 'Friends brought and sessions shopped together for full marks' }),
    adviceTarget: Type.Integer({ minimum: 1, maximum: 100, description: 'Suggestions taken for full marks' }),
    routineKinds: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{1,49}$' }), {
      maxItems: 50,
      description: 'Activity kinds that are not participation (buying, browsing)',
    }),
    socialKinds: Kinds,
    adviceKinds: Kinds,
    segments: Type.Object(
      {
        priceShare: Type.Number({ minimum: 0, maximum: 1, description: 'A quarter leans on price when at least this share of spend was on discounted lines…' }),
        participationBelow: Type.Integer({ minimum: 0, maximum: 100, description: '…and the member took part fewer times than this' }),
        lookbackQuarters: Type.Integer({ minimum: 2, maximum: 8, description: 'Fluctuating: both leans within this many quarters' }),
        lapsedAfterQuarters: Type.Integer({ minimum: 1, maximum: 8, description: 'Lapsed: no purchase for this many quarters' }),
      },
      { additionalProperties: false },
    ),
    value: Type.Object(
      {
        horizonMonths: Type.Integer({ minimum: 1, maximum: 120, description: 'Lifetime value counts this many months ahead' }),
        monthlyDiscountRate: Type.Number({ minimum: 0, maximum: 0.2, description: 'Money next month is worth this much less' }),
        expectedPurchasesWeeks: Type.Integer({ minimum: 1, maximum: 104, description: 'Expected purchases are counted over this many weeks' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, $id: 'InsightsSettings' },
)
export type InsightsSettings = Static<typeof InsightsSettings>

export const defaultInsightsSettings: InsightsSettings = {
  windowMonths: 12,
  weights: { recency: 25, frequency: 25, channels: 15, participation: 15, social: 10, advice: 10 },
  recencyHalfLifeDays: 60,
  frequencyTarget: 12,
  channelsTarget: 3,
  participationTarget: 4,
  socialTarget: 3,
  adviceTarget: 3,
  routineKinds: ['purchase', 'return', 'web_session', 'app_open'],
  socialKinds: ['co_shopping_session', 'referral_completed', 'referred_welcome'],
  adviceKinds: ['suggestion_bought', 'advice_taken', 'styling_session'],
  segments: { priceShare: 0.4, participationBelow: 1, lookbackQuarters: 4, lapsedAfterQuarters: 2 },
  value: { horizonMonths: 12, monthlyDiscountRate: 0.01, expectedPurchasesWeeks: 13 },
}

/** The problem for settings that do not fit, from the route's schema and from the checks beyond it alike. */
export const invalidSettings = { type: '/problems/invalid-insights-settings', title: 'The insights settings are not valid' }

export class InvalidSettings extends DomainError {
  constructor(errors: FieldError[]) {
    super(invalidSettings.type, 400, invalidSettings.title, { errors }, inWords(errors))
  }
}

const check = compileChecker(InsightsSettings)

function settingsErrors(settings: unknown) {
  const errors = check(settings, 'body')
  if (errors.length) return errors
  const s = settings as InsightsSettings
  if (Object.values(s.weights).every((w) => w === 0)) errors.push({ field: 'body/weights', message: 'At least one part of the score must count' })
  if (s.segments.lapsedAfterQuarters > s.segments.lookbackQuarters) {
    errors.push({ field: 'body/segments/lapsedAfterQuarters', message: 'Lapsed after can be at most the quarters looked back over' })
  }
  return errors
}

export async function getInsightsSettings(db: Db): Promise<InsightsSettings> {
  const [row] = await db.select().from(insightsSettings).where(eq(insightsSettings.id, 'default'))
  return row ? (row.settings as InsightsSettings) : defaultInsightsSettings
}

/** Saves new settings (audited); they take effect at the next refresh. */
export async function saveInsightsSettings(deps: Pick<Deps, 'db' | 'clock'>, settings: unknown, actor: Principal) {
  const errors = settingsErrors(settings)
  if (errors.length) throw new InvalidSettings(errors)
  const now = deps.clock.now()
  return deps.db.transaction(async (tx) => {
    const before = await getInsightsSettings(tx)
    const updatedBy = actor.kind === 'staff' ? actor.userId : null
    await tx
      .insert(insightsSettings)
      .values({ id: 'default', settings, updatedAt: now, updatedBy })
      .onConflictDoUpdate({ target: insightsSettings.id, set: { settings, updatedAt: now, updatedBy } })
    await recordAudit(tx, now, actor, { action: 'insights.settings_saved', targetKind: 'insights_settings', targetId: 'default', before, after: settings })
    return settings as InsightsSettings
  })
}

import { type FieldError, fieldWords } from '../../platform/http/field-messages.js'
import { compileChecker } from '../../platform/http/validation.js'
import { RuleDocument } from './api-schemas.js'
import { ruleFieldLabel } from './rule-vocabulary.js'

export { RuleDocument } from './api-schemas.js'

const checkRule = compileChecker(RuleDocument)

/**
 * The problems with a draft rule, each with where it is: empty when it is valid. Each field is called
 * what the rule builder calls it ("Fixed points can be at most 100,000", not "Flat …").
 */
export function ruleErrors(document: unknown): FieldError[] {
  return inRuleWords(checkRule(document, 'body/document').slice(0, 20))
}

/** Schema errors about a rule document (`body/document/…`), each field called by the builder's name. */
export function inRuleWords(errors: FieldError[]): FieldError[] {
  return errors.map(({ field, message }) => {
    if (!field.startsWith('body/document')) return { field, message }
    const path = field.replace(/^body\/document\/?/, '')
    if (path === 'award') return { field, message: 'Give the rule something to award: points per pound, fixed points or a multiplier' }
    const label = ruleFieldLabel(path)
    const said = fieldWords(field).replace(/ \(item \d+\)$/, '')
    return { field, message: label && message.startsWith(said) ? `${label}${message.slice(said.length)}` : message }
  })
}

export interface Rule {
  id: string
  version: number
  document: RuleDocument
  startsAt: Date | null
  endsAt: Date | null
}

/** What a rule sees of an activity: its lines with their products' category path and brand. */
export interface EarningActivity {
  id: string
  memberId: string
  kind: string
  channel: string
  storeCode: string | null
  storeName: string | null
  occurredAt: Date
  /** The member's tier code when the activity is evaluated. */
  tier: string | null
  lines: { sku: string; name: string | null; category: string[]; brand: string | null; quantity: number; unitPriceMinor: number; discountMinor: number }[]
  details: Record<string, unknown>
}

export interface Award {
  rule: Rule
  points: number
  explanation: string
  pendingDays: number
}

/** How much a member has already earned from each rule, for caps and first-time rules. */
export interface EarnedSoFar {
  today(memberId: string, ruleId: string, at: Date): number
  thisMonth(memberId: string, ruleId: string, at: Date): number
  ever(memberId: string, ruleId: string): boolean
  /** Record an award, so later activities of the same batch see it. */
  add(memberId: string, ruleId: string, at: Date, points: number): void
}

const applies = (rule: Rule, a: EarningActivity) => {
  const { when } = rule.document
  if (rule.startsAt && a.occurredAt < rule.startsAt) return false
  if (rule.endsAt && a.occurredAt >= rule.endsAt) return false
  if (!when.kinds.includes(a.kind)) return false
  if (when.channels && !when.channels.includes(a.channel)) return false
  if (when.stores && !(a.storeCode && when.stores.includes(a.storeCode))) return false
  if (when.tiers && !(a.tier && when.tiers.includes(a.tier))) return false
  if (when.weekdays && !when.weekdays.includes(a.occurredAt.getUTCDay())) return false
  if (when.hours && (a.occurredAt.getUTCHours() < when.hours.from || a.occurredAt.getUTCHours() >= when.hours.to)) return false
  return true
}

const lineMatches = (rule: Rule, line: EarningActivity['lines'][number]) => {
  const { categories, brands } = rule.document.when
  const lower = (xs: string[]) => xs.map((x) => x.toLowerCase())
  if (categories && !lower(line.category).some((c) => lower(categories).includes(c))) return false
  if (brands && !(line.brand && lower(brands).includes(line.brand.toLowerCase()))) return false
  return true
}

const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (whole, key) => String(values[key] ?? whole))

/**
 * What an activity earns under the rules: base awards (per pound, flat), then multipliers on them,
 * each capped per activity, per member per day and per month.
 */
export function evaluate(rules: Rule[], activity: EarningActivity, earned: EarnedSoFar): Award[] {
  const spendOf = (rule: Rule) =>
    activity.lines.filter((l) => lineMatches(rule, l)).reduce((sum, l) => sum + l.quantity * l.unitPriceMinor - l.discountMinor, 0)
  const spent = (rule: Rule) => rule.document.when.minSpend === undefined || spendOf(rule) >= rule.document.when.minSpend
  const matching = rules.filter((rule) => applies(rule, activity) && spent(rule))
  const base: Award[] = []
  const capped = (rule: Rule, points: number) => {
    const caps = rule.document.caps ?? {}
    let allowed = Math.max(0, Math.floor(points))
    if (caps.perActivity) allowed = Math.min(allowed, caps.perActivity)
    if (caps.perMemberPerDay) allowed = Math.min(allowed, caps.perMemberPerDay - earned.today(activity.memberId, rule.id, activity.occurredAt))
    if (caps.perMemberPerMonth) allowed = Math.min(allowed, caps.perMemberPerMonth - earned.thisMonth(activity.memberId, rule.id, activity.occurredAt))
    return Math.max(0, allowed)
  }
  const award = (rule: Rule, raw: number, product: string | undefined): Award | undefined => {
    if (rule.document.when.firstTimeOnly && earned.ever(activity.memberId, rule.id)) return undefined
    const points = capped(rule, raw)
    if (points <= 0) return undefined
    earned.add(activity.memberId, rule.id, activity.occurredAt, points)
    // "at Covent Garden", "at the web shop"; never "at us" when a till sent no store.
    const where =
      activity.storeName ??
      ({ app: 'the app', web: 'the web shop', call_center: 'our call centre' } as Record<string, string>)[activity.channel] ??
      'one of our shops'
    const values = { points, product: product ?? 'your purchase', store: where, kind: activity.kind.replaceAll('_', ' ') }
    return { rule, points, explanation: fill(rule.document.explanation, values), pendingDays: rule.document.pendingDays ?? 0 }
  }
  const productOf = (a: EarningActivity, rule: Rule) =>
    a.lines.find((l) => lineMatches(rule, l))?.name ?? (typeof a.details.productName === 'string' ? a.details.productName : undefined)

  for (const rule of matching) {
    const { perCurrencyUnit, flat } = rule.document.award
    let raw = flat ?? 0
    if (perCurrencyUnit) raw += (perCurrencyUnit * spendOf(rule)) / 100
    else if ((rule.document.when.categories || rule.document.when.brands) && !activity.lines.some((l) => lineMatches(rule, l))) continue
    if (!perCurrencyUnit && !flat) continue
    const given = award(rule, raw, productOf(activity, rule))
    if (given) base.push(given)
  }
  const baseTotal = base.reduce((sum, a) => sum + a.points, 0)
  const boosts = matching
    .filter((rule) => rule.document.award.multiplier && baseTotal > 0)
    .flatMap((rule) => {
      const given = award(rule, baseTotal * ((rule.document.award.multiplier as number) - 1), productOf(activity, rule))
      return given ? [{ ...given, pendingDays: Math.max(given.pendingDays, ...base.map((b) => b.pendingDays)) }] : []
    })
  return [...base, ...boosts]
}

/** Earned-so-far counts kept in memory, seeded from the ledger (or empty for a dry run). */
export function earnedCounter(seed: { memberId: string; ruleId: string; day: string; points: number }[] = []): EarnedSoFar {
  const days = new Map<string, number>()
  const ever = new Set<string>()
  const key = (m: string, r: string, period: string) => `${m}|${r}|${period}`
  const add = (memberId: string, ruleId: string, day: string, points: number) => {
    days.set(key(memberId, ruleId, day), (days.get(key(memberId, ruleId, day)) ?? 0) + points)
    days.set(key(memberId, ruleId, day.slice(0, 7)), (days.get(key(memberId, ruleId, day.slice(0, 7))) ?? 0) + points)
    ever.add(`${memberId}|${ruleId}`)
  }
  for (const s of seed) add(s.memberId, s.ruleId, s.day, s.points)
  const dayOf = (at: Date) => at.toISOString().slice(0, 10)
  return {
    today: (m, r, at) => days.get(key(m, r, dayOf(at))) ?? 0,
    thisMonth: (m, r, at) => days.get(key(m, r, dayOf(at).slice(0, 7))) ?? 0,
    ever: (m, r) => ever.has(`${m}|${r}`),
    add: (m, r, at, points) => add(m, r, dayOf(at), points),
  }
}

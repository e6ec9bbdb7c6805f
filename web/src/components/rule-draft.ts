/*
 * The rule builder's form and the server's rule document, both ways: the form picks from the lists
 * the server's vocabulary names (rule-vocabulary.ts, shared with the schema), and "Advanced (JSON)"
 * shows exactly the document the form makes, and reads one back.
 */
import {
  type AwardKind,
  type CapKind,
  type ConditionField,
  ruleAwards,
  ruleCaps,
  ruleConditions,
  weekdayNames,
} from '../../../src/modules/rewards/rule-vocabulary'
import type { RuleChoices, RuleDocument } from '../api'
import { money } from '../format'

type When = RuleDocument['when']
type Award = RuleDocument['award']
type Caps = NonNullable<RuleDocument['caps']>

// Every condition, award and cap the server's document has is one the form offers (and no other):
// a field added to or dropped from the schema fails the type check here until the builder has it.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const holds = <T extends true>(): T | undefined => undefined
holds<Same<ConditionField, Exclude<keyof When, 'kinds'>>>()
holds<Same<AwardKind, keyof Award>>()
holds<Same<CapKind, keyof Caps>>()

export type Amount = number | string
export interface ConditionRow {
  field: ConditionField
  values: string[]
  amount: Amount
  from: Amount
  to: Amount
}
export interface AwardRow {
  kind: AwardKind
  amount: Amount
}
export interface RuleDraft {
  name: string
  description: string
  kinds: string[]
  conditions: ConditionRow[]
  awards: AwardRow[]
  caps: Record<CapKind, Amount>
  pendingDays: Amount
  explanation: string
  firstDay: string
  lastDay: string
}

export const conditionFields = Object.keys(ruleConditions) as ConditionField[]
export const awardKinds = Object.keys(ruleAwards) as AwardKind[]
export const capKinds = Object.keys(ruleCaps) as CapKind[]

export const emptyCondition = (field: ConditionField): ConditionRow => ({
  field,
  values: [],
  amount: '',
  from: field === 'hours' ? 7 : '',
  to: field === 'hours' ? 10 : '',
})

export const newDraft = (): RuleDraft => ({
  name: '',
  description: '',
  kinds: ['purchase'],
  conditions: [],
  awards: [{ kind: 'perCurrencyUnit', amount: 1 }],
  caps: { perActivity: '', perMemberPerDay: '', perMemberPerMonth: '' },
  pendingDays: 30,
  explanation: '+{points} for your purchase at {store}',
  firstDay: '',
  lastDay: '',
})

const given = (a: Amount) => a !== '' && a !== null && a !== undefined
const num = (a: Amount) => Number(a)

/** The document the form describes, as the server takes it. */
export function toDocument(d: RuleDraft): RuleDocument {
  const when: When = { kinds: d.kinds }
  for (const c of d.conditions) {
    const input = ruleConditions[c.field].input
    if (input === 'list') (when as Record<string, unknown>)[c.field] = c.values
    else if (input === 'weekdays') when.weekdays = c.values.map(Number)
    else if (input === 'hours') when.hours = { from: num(c.from), to: num(c.to) }
    else if (input === 'amount') when.minSpend = given(c.amount) ? Math.round(num(c.amount) * 100) : 0
    else when.firstTimeOnly = true
  }
  const award: Award = {}
  for (const a of d.awards) award[a.kind] = given(a.amount) ? num(a.amount) : 0
  const caps: Caps = {}
  for (const k of capKinds) if (given(d.caps[k])) caps[k] = num(d.caps[k])
  return {
    name: d.name,
    ...(d.description.trim() ? { description: d.description } : {}),
    when,
    award,
    ...(Object.keys(caps).length ? { caps } : {}),
    ...(given(d.pendingDays) ? { pendingDays: num(d.pendingDays) } : {}),
    explanation: d.explanation,
  }
}

/** The form for a document (from a saved rule or the JSON), keeping the days the form had. */
export function fromDocument(doc: RuleDocument, days: Pick<RuleDraft, 'firstDay' | 'lastDay'>): RuleDraft {
  const when = doc.when ?? { kinds: [] }
  const conditions: ConditionRow[] = []
  for (const field of conditionFields) {
    const value = (when as Record<string, unknown>)[field]
    if (value === undefined || value === false) continue
    const row = emptyCondition(field)
    if (Array.isArray(value)) row.values = value.map(String)
    if (field === 'hours' && when.hours) Object.assign(row, { from: when.hours.from, to: when.hours.to })
    if (field === 'minSpend' && when.minSpend !== undefined) row.amount = when.minSpend / 100
    conditions.push(row)
  }
  return {
    name: doc.name ?? '',
    description: doc.description ?? '',
    kinds: when.kinds ?? [],
    conditions,
    awards: awardKinds.filter((k) => doc.award?.[k] !== undefined).map((kind) => ({ kind, amount: doc.award[kind] as number })),
    caps: { perActivity: doc.caps?.perActivity ?? '', perMemberPerDay: doc.caps?.perMemberPerDay ?? '', perMemberPerMonth: doc.caps?.perMemberPerMonth ?? '' },
    pendingDays: doc.pendingDays ?? '',
    explanation: doc.explanation ?? '',
    ...days,
  }
}

const list = (xs: string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs.at(-1)}`)

/** What a rule does, in one or two sentences a marketer reads: "2 points per pound spent on Purchase, when …". */
export function ruleInWords(doc: RuleDocument, choices?: RuleChoices): string {
  const currency = choices?.currency ?? 'GBP'
  const nameOf = (kind: 'kinds' | 'channels' | 'stores' | 'tiers', code: string) => choices?.[kind].find((x) => x.code === code)?.name ?? code
  const gives: string[] = []
  const { perCurrencyUnit, flat, multiplier } = doc.award ?? {}
  if (perCurrencyUnit) gives.push(`${perCurrencyUnit} point${perCurrencyUnit === 1 ? '' : 's'} per pound spent`)
  if (flat) gives.push(`${flat.toLocaleString('en-GB')} points`)
  if (multiplier) gives.push(`${multiplier}× the points other rules give`)
  const when = doc.when ?? { kinds: [] }
  const on = list(when.kinds.map((k) => nameOf('kinds', k).toLowerCase()))
  const only: string[] = []
  if (when.channels) only.push(`on ${list(when.channels.map((c) => nameOf('channels', c)))}`)
  if (when.stores) only.push(`at ${list(when.stores.map((s) => nameOf('stores', s)))}`)
  if (when.categories) only.push(`in ${list(when.categories)}`)
  if (when.brands) only.push(`from ${list(when.brands)}`)
  if (when.minSpend) only.push(`of ${money(when.minSpend, currency)} or more`)
  if (when.weekdays) only.push(`on ${list(weekdayNames.filter(([n]) => when.weekdays?.includes(n)).map(([, name]) => `${name}s`))}`)
  if (when.hours) only.push(`between ${String(when.hours.from).padStart(2, '0')}:00 and ${String(when.hours.to).padStart(2, '0')}:00 UTC`)
  if (when.tiers) only.push(`for ${list(when.tiers.map((t) => nameOf('tiers', t)))} members`)
  if (when.firstTimeOnly) only.push('the first time only')
  const caps = doc.caps ?? {}
  const limits = [
    caps.perActivity && `${caps.perActivity.toLocaleString('en-GB')} an activity`,
    caps.perMemberPerDay && `${caps.perMemberPerDay.toLocaleString('en-GB')} a member a day`,
    caps.perMemberPerMonth && `${caps.perMemberPerMonth.toLocaleString('en-GB')} a member a month`,
  ].filter(Boolean) as string[]
  const held = doc.pendingDays ? ` Held ${doc.pendingDays} day${doc.pendingDays === 1 ? '' : 's'} before they can be spent.` : ''
  const first = `${gives.length ? list(gives) : 'Nothing yet'} for ${on || 'no activity yet'}${only.length ? `, ${only.join(', ')}` : ''}.`
  return `${first.charAt(0).toUpperCase()}${first.slice(1)}${limits.length ? ` At most ${list(limits)}.` : ''}${held}`
}

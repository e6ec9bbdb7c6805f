/*
 * The words of an earning rule: what it applies to, what it awards and its limits, each with the
 * bounds the server holds it to. RuleDocument (api-schemas.ts) is built from these, and the web's
 * rule builder lists, labels and checks its fields by them, so the builder offers exactly what the
 * server accepts and says a refusal the way the server does. No imports: the web app bundles this file.
 */

/** How a condition's value is picked: from a list, a time of day, an amount, or just on. */
export type ConditionInput = 'list' | 'weekdays' | 'hours' | 'amount' | 'on'

/** The conditions of `when` besides `kinds` (the trigger), in the order the builder offers them. */
export const ruleConditions = {
  channels: { label: 'Channel', operator: 'is any of', input: 'list', maxItems: 50 },
  stores: { label: 'Store', operator: 'is any of', input: 'list', maxItems: 1000 },
  categories: { label: 'Category', operator: 'includes any of', input: 'list', maxItems: 200 },
  brands: { label: 'Brand', operator: 'is any of', input: 'list', maxItems: 200 },
  minSpend: { label: 'Amount spent', operator: 'is at least', input: 'amount', minimum: 1, maximum: 10_000_000_000 },
  weekdays: { label: 'Day of the week', operator: 'is any of', input: 'weekdays', maxItems: 7 },
  hours: { label: 'Time of day (UTC)', operator: 'is between', input: 'hours' },
  tiers: { label: 'Member’s tier', operator: 'is any of', input: 'list', maxItems: 50 },
  firstTimeOnly: { label: 'Only the first time', operator: 'a member earns from this rule', input: 'on' },
} as const satisfies Record<string, { label: string; operator: string; input: ConditionInput; maxItems?: number; minimum?: number; maximum?: number }>
export type ConditionField = keyof typeof ruleConditions

/** What a rule gives (`award`): at least one. */
export const ruleAwards = {
  perCurrencyUnit: { label: 'Points per pound spent', minimum: 0, maximum: 100, whole: false, hint: 'of the matching lines, after discounts' },
  flat: { label: 'Fixed points', minimum: 0, maximum: 100_000, whole: true, hint: 'each time it applies' },
  multiplier: { label: 'Multiply other rules’ points by', minimum: 1, maximum: 10, whole: false, hint: 'for the same activity, e.g. 1.5' },
} as const satisfies Record<string, { label: string; minimum: number; maximum: number; whole: boolean; hint: string }>
export type AwardKind = keyof typeof ruleAwards

/** The most a rule gives (`caps`). */
export const ruleCaps = {
  perActivity: { label: 'At most per activity' },
  perMemberPerDay: { label: 'At most per member a day' },
  perMemberPerMonth: { label: 'At most per member a month' },
} as const
export type CapKind = keyof typeof ruleCaps

/** The rest of the document, with its bounds. */
export const ruleFields = {
  name: { label: 'Name', maxLength: 100 },
  description: { label: 'Description', maxLength: 500 },
  kinds: { label: 'Activity', maxItems: 50 },
  explanation: { label: 'What the member reads', maxLength: 200 },
  pendingDays: { label: 'Days held before they can be spent', minimum: 0, maximum: 365 },
  hoursFrom: { minimum: 0, maximum: 23 },
  hoursTo: { minimum: 1, maximum: 24 },
} as const

/** Days as `weekdays` numbers them (0 is Sunday), in the order a week reads in the UK. */
export const weekdayNames = [
  [1, 'Monday'],
  [2, 'Tuesday'],
  [3, 'Wednesday'],
  [4, 'Thursday'],
  [5, 'Friday'],
  [6, 'Saturday'],
  [0, 'Sunday'],
] as const

/** The person's name for a field of a rule document, by its path under the document (`award/flat`). */
export function ruleFieldLabel(path: string): string | undefined {
  const [part, name] = path.split('/').filter((s) => s && !/^\d+$/.test(s))
  if (part === 'when' && name === 'kinds') return ruleFields.kinds.label
  if (part === 'when' && name && name in ruleConditions) return ruleConditions[name as ConditionField].label
  if (part === 'award' && name && name in ruleAwards) return ruleAwards[name as AwardKind].label
  if (part === 'caps' && name && name in ruleCaps) return ruleCaps[name as CapKind].label
  if (part === 'pendingDays') return ruleFields.pendingDays.label
  if (!name && part && part in ruleFields) return (ruleFields as Record<string, { label?: string }>)[part].label
  return undefined
}

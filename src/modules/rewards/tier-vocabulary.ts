/*
 * The tier ladder's fields with their names and bounds: TierSetup (api-schemas.ts) is built from
 * these and the web's tiers form labels and checks by them. No imports: the web app bundles this file.
 */
export const tierFields = {
  tiers: { label: 'Tiers', minItems: 1, maxItems: 10 },
  code: { label: 'Code', maxLength: 30 },
  name: { label: 'Name', maxLength: 60 },
  threshold: { label: 'Tier points needed', minimum: 0 },
  perks: { label: 'Perks', maxItems: 20, maxLength: 200 },
} as const

export const tierPolicyFields = {
  spendWeight: { label: 'Tier points per pound spent', minimum: 0, maximum: 100, hint: 'net of returns, over the window' },
  participationWeight: { label: 'Tier points per point earned taking part', minimum: 0, maximum: 100, hint: 'reviews, answers, ideas, visits…' },
  windowMonths: { label: 'Window (months)', minimum: 1, maximum: 36, hint: 'tier points count over this many months' },
  graceDays: { label: 'Grace days', minimum: 0, maximum: 365, hint: 'a member keeps a tier this long after falling below it' },
} as const
export type TierPolicyField = keyof typeof tierPolicyFields

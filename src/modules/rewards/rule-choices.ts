import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { catalogueCategories, listActivityKinds, listChannels } from '../activity/index.js'
import { listRules } from './rule-store.js'
import { tierSetup } from './tiers.js'

const spoken = (code: string) => code.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase())

/**
 * Everything the rule builder's lists offer: activity kinds (registered ones, and any a saved rule
 * already names), channels, stores, categories, brands and tiers, with what a point costs for the
 * dry run's money. One round trip for the whole builder.
 */
export async function ruleChoices({ db, config }: Pick<Deps, 'db' | 'config'>) {
  const [kinds, channels, categories, setup, rules, stores, brands] = await Promise.all([
    listActivityKinds(db),
    listChannels(db),
    catalogueCategories(db),
    tierSetup(db),
    listRules(db),
    queryRows<{ code: string; name: string }>(db, sql`select code, name from stores order by name`),
    queryRows<{ brand: string }>(db, sql`select distinct brand from products where brand is not null order by 1 limit 500`),
  ])
  const known = new Map(kinds.map((k) => [k.code, spoken(k.name)]))
  for (const kind of rules.flatMap((r) => r.document.when.kinds)) if (!known.has(kind)) known.set(kind, spoken(kind))
  return {
    kinds: [...known].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name)),
    channels: channels.map((c) => ({ code: c.code, name: c.name })),
    stores,
    categories,
    brands: brands.map((b) => b.brand),
    tiers: setup.tiers.map((t) => ({ code: t.code, name: t.name })),
    currency: config.currency,
    pointValueMinor: config.pointValueMinor,
  }
}

import type { Recommender } from './model.js'

/** G-TopFreq: the most bought items (in most baskets), the same for everyone. */
export function topFrequent(model: Recommender, k: number): string[] {
  const baskets = new Float64Array(model.skus.length)
  for (const [, history] of model.histories()) for (const [item, count] of history.counts) baskets[item] += count
  return [...baskets.keys()]
    .sort((a, b) => baskets[b] - baskets[a])
    .slice(0, k)
    .map((i) => model.skuOf(i))
}

/** P-TopFreq: the member's own most bought items, then G-TopFreq's to fill K. */
export function personalTopFrequent(model: Recommender, member: string, k: number, popular: string[]): string[] {
  const history = model.historyOf(member)
  const own = history ? [...history.counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([item]) => model.skuOf(item)) : []
  const out = own.slice(0, k)
  for (const sku of popular) {
    if (out.length >= k) break
    if (!out.includes(sku)) out.push(sku)
  }
  return out
}

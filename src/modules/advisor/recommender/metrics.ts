import type { Basket } from './baskets.js'

/** Recall@K: the share of the basket's items among the K suggestions. */
export function recallAt(k: number, suggested: string[], basket: Set<string>) {
  let hits = 0
  for (const sku of suggested.slice(0, k)) if (basket.has(sku)) hits++
  return basket.size ? hits / basket.size : 0
}

/** NDCG@K with binary gains: hits discounted by log2(rank + 1), over the best possible for min(K, basket size) items. */
export function ndcgAt(k: number, suggested: string[], basket: Set<string>) {
  let dcg = 0
  suggested.slice(0, k).forEach((sku, rank) => {
    if (basket.has(sku)) dcg += 1 / Math.log2(rank + 2)
  })
  let ideal = 0
  for (let rank = 0; rank < Math.min(k, basket.size); rank++) ideal += 1 / Math.log2(rank + 2)
  return ideal ? dcg / ideal : 0
}

/** Each member's first basket in a list (the test side of a temporal split). */
export function firstBaskets(baskets: Basket[]) {
  const first = new Map<string, Set<string>>()
  for (const b of baskets) if (!first.has(b.member)) first.set(b.member, new Set(b.items))
  return first
}

import { personalTopFrequent, topFrequent } from './baselines.js'
import type { Basket } from './baskets.js'
import { firstBaskets, ndcgAt, recallAt } from './metrics.js'
import { Recommender } from './model.js'
import { tuneBlend } from './tune.js'

export interface MethodScores {
  method: string
  scores: Record<string, number>
}

/**
 * Next-basket evaluation: train on `train` (the blend tuned on it), then for each member of `test`
 * who has history in `train`, compare their first test basket with the top K of our recommender,
 * G-TopFreq and P-TopFreq. Recall@K and NDCG@K are averaged over those members.
 */
export function evaluate(train: Basket[], test: Basket[], ks: number[], names?: Map<string, string>) {
  const started = performance.now()
  const maxK = Math.max(...ks)
  const tuned = tuneBlend(train, Math.min(...ks))
  const model = new Recommender(train, tuned.blend, names)
  const trainingSeconds = (performance.now() - started) / 1000
  const popular = topFrequent(model, maxK)
  const targets = [...firstBaskets(test)].filter(([member]) => model.knows(member))
  const lists: Record<string, (member: string) => string[]> = {
    regulars: (member) => model.recommend(member, maxK).map((s) => s.sku),
    'G-TopFreq': () => popular,
    'P-TopFreq': (member) => personalTopFrequent(model, member, maxK, popular),
  }
  const results: MethodScores[] = Object.entries(lists).map(([method, list]) => {
    const sums: Record<string, number> = {}
    for (const [member, basket] of targets) {
      const suggested = list(member)
      for (const k of ks) {
        sums[`recall@${k}`] = (sums[`recall@${k}`] ?? 0) + recallAt(k, suggested, basket)
        sums[`ndcg@${k}`] = (sums[`ndcg@${k}`] ?? 0) + ndcgAt(k, suggested, basket)
      }
    }
    const scores = Object.fromEntries(Object.entries(sums).map(([name, sum]) => [name, Number((sum / Math.max(1, targets.length)).toFixed(4))]))
    return { method, scores }
  })
  return {
    members: targets.length,
    blend: tuned.blend,
    validationNdcg: Number(tuned.validationNdcg.toFixed(4)),
    trainingSeconds: Number(trainingSeconds.toFixed(2)),
    results,
  }
}

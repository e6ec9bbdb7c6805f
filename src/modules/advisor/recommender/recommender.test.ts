import { describe, expect, it } from 'vitest'
import type { Basket } from './baskets.js'
import { RepurchaseCurves } from './cycles.js'
import { evaluate } from './evaluate.js'
import { ndcgAt, recallAt } from './metrics.js'
import { Recommender } from './model.js'
import { tuneBlend } from './tune.js'

const basket = (member: string, day: number, items: string[], order = `${member}-${day}`): Basket => ({ member, order, day, items })

describe('the recommender', () => {
  it('scores Recall@K and NDCG@K as worked out by hand', () => {
    const truth = new Set(['a', 'b'])
    expect(recallAt(3, ['x', 'a', 'y'], truth)).toBe(0.5)
    // One hit at rank 2: 1/log2(3) over the ideal 1 + 1/log2(3) for two relevant items.
    expect(ndcgAt(3, ['x', 'a', 'y'], truth)).toBeCloseTo(0.6309 / 1.6309, 4)
    expect(ndcgAt(1, ['a'], truth)).toBe(1) // the ideal at K = 1 is one item
    expect(ndcgAt(10, [], truth)).toBe(0)
  })

  it('suggests a shopper what they re-buy, saying how often they buy it', () => {
    const baskets = [0, 21, 42, 63].flatMap((day) => [basket('ada', day, ['beans', day === 21 ? 'kettle' : 'milk'])])
    const model = new Recommender(
      baskets,
      { personal: 1, due: 0, together: 0, popular: 0.01, halfLifeDays: Number.POSITIVE_INFINITY, repeatBias: 0 },
      new Map([['beans', 'House beans']]),
    )
    const [first] = model.recommend('ada', 2)
    expect(first.sku).toBe('beans')
    expect(first.reason).toEqual({ kind: 'repurchase', text: 'You buy House beans about every 3 weeks' })
  })

  it('suggests what people who bought the same also bought, naming the item that led there', () => {
    const baskets = [
      ...['b1', 'b2', 'b3', 'b4'].map((m, i) => basket(m, i, ['tent', 'stove'])),
      ...['c1', 'c2', 'c3'].map((m, i) => basket(m, i, ['mug'])),
      basket('ada', 10, ['tent']),
    ]
    const model = new Recommender(baskets, { personal: 0.05, due: 0, together: 1, popular: 0.01, halfLifeDays: Number.POSITIVE_INFINITY, repeatBias: 0 })
    const suggestions = model.recommend('ada', 3)
    const stove = suggestions.find((s) => s.sku === 'stove')
    expect(suggestions[0].sku).toBe('stove')
    expect(stove?.reason).toEqual({ kind: 'also-bought', text: 'People who bought tent also bought stove', because: 'tent' })
  })

  it('never suggests what is excluded or unavailable, and gives a newcomer what is popular', () => {
    const baskets = [basket('a', 1, ['x', 'y']), basket('b', 2, ['x', 'z']), basket('c', 3, ['x'])]
    const model = new Recommender(baskets)
    expect(model.recommend('a', 3, { skus: new Set(['x']) }).map((s) => s.sku)).not.toContain('x')
    expect(model.recommend('a', 3, { available: (sku) => sku !== 'y' }).map((s) => s.sku)).not.toContain('y')
    const newcomer = model.recommend('nobody', 1)
    expect(newcomer).toEqual([{ sku: 'x', score: expect.any(Number), reason: { kind: 'popular', text: 'x is popular with shoppers right now' } }])
  })

  it('learns to follow the crowd where shoppers never re-buy, and to re-buy where they always do', () => {
    // Crowd: everyone buys this week's bestseller once and never again.
    const crowd: Basket[] = []
    for (let week = 0; week < 12; week++) for (let m = 0; m < 30; m++) crowd.push(basket(`m${m}`, week * 7 + (m % 7), [`hit${week}`, `once${week}-${m}`]))
    const crowdTest = Array.from({ length: 30 }, (_, m) => basket(`m${m}`, 90, ['hit11']))
    const onCrowd = evaluate(crowd, crowdTest, [5])
    const score = (method: string) => onCrowd.results.find((r) => r.method === method)?.scores['ndcg@5'] ?? 0
    expect(score('regulars')).toBeGreaterThanOrEqual(Math.max(score('G-TopFreq'), score('P-TopFreq')) - 1e-9)

    // Habit: each member only ever buys their own two staples.
    const habit: Basket[] = []
    for (let week = 0; week < 10; week++) for (let m = 0; m < 30; m++) habit.push(basket(`h${m}`, week * 7, [`staple${m}a`, `staple${m}b`]))
    const tuned = tuneBlend(habit, 2)
    expect(tuned.blend.personal).toBe(1)
    expect(tuned.validationNdcg).toBe(1)
  })

  it('learns when an item comes back, and counts a habit most when its time has come', () => {
    // Weekly shoppers: milk every visit, candles every eighth week (each shopper in their own week).
    const baskets: Basket[] = []
    for (let week = 0; week < 30; week++) {
      for (let m = 0; m < 16; m++) baskets.push(basket(`s${m}`, week * 7, (week + m) % 8 === 0 ? ['milk', 'candles'] : ['milk']))
    }
    const model = new Recommender(baskets)
    const habit = (member: string, sku: string) => {
      const signals = model.signals(member, Number.POSITIVE_INFINITY, 0)
      return signals.values.habit[signals.items.findIndex((item) => model.skuOf(item) === sku)]
    }
    // s3 bought candles in the last week, s2 seven weeks ago: s2's next visit is the eighth week.
    expect(habit('s2', 'candles')).toBeGreaterThan(3 * habit('s3', 'candles'))
    expect(habit('s3', 'milk')).toBeCloseTo(1, 2) // bought at every visit: due at every visit

    const histories = [...new Set(baskets.map((b) => b.member))].map((member) => {
      const own = baskets.filter((b) => b.member === member)
      const days = own.filter((b) => b.items.includes('candles')).map((b) => b.day)
      return { counts: new Map([[0, days.length]]), days: new Map([[0, days]]), baskets: own.length, visits: own.map((b) => b.day) }
    })
    const curves = new RepurchaseCurves(histories, 1)
    // Candles a week after the last ones hardly ever; seven weeks after, with the next visit a week away, mostly.
    expect(curves.chance(0, 49, 7)).toBeGreaterThan(0.5)
    expect(curves.chance(0, 49, 7)).toBeGreaterThan(5 * curves.chance(0, 7, 7))
  })
})

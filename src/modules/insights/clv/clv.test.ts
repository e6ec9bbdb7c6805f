import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sharedDataForTest } from '../../../../test/support/shared-data.js'
import { calibrate, expectedPurchases, fitBgNbd, fitClvFile, probabilityAlive, readCdnow, readGeneric } from './index.js'
import { nelderMead } from './nelder-mead.js'

const sample = sharedDataForTest('cdnow/CDNOW_sample.txt')
const summary = sharedDataForTest('cdnow/cdnow_customers_summary_with_transactions.csv')
const within = (actual: number, published: number, share = 0.01) => expect(Math.abs(actual - published) / published).toBeLessThan(share)

describe('customer lifetime value models', () => {
  it('finds the minimum of the Rosenbrock valley', () => {
    const best = nelderMead(([x, y]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2, [-1.2, 1])
    expect(best.x[0]).toBeCloseTo(1, 4)
    expect(best.x[1]).toBeCloseTo(1, 4)
  })

  it('predicts like the BG/NBD paper for its example customer', () => {
    // Fader, Hardie & Lee (2005): x = 2, tₓ = 30.43, T = 38.86 expects 1.226 purchases in the next 39 weeks.
    const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, logLikelihood: 0 }
    expect(expectedPurchases(published, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 2)
    expect(probabilityAlive(published, 0, 0, 38.86)).toBe(1)
    // Someone who bought often and then stopped long ago is less likely still shopping than a steady buyer.
    expect(probabilityAlive(published, 5, 5, 38.86)).toBeLessThan(probabilityAlive(published, 5, 37, 38.86))
  })

  it('stops at a bound when shoppers are all alike, instead of chasing the parameters to infinity', () => {
    // Simulated shoppers with one purchase rate (0.5 a week) who all quit with the same chance (0.3)
    // after each purchase: with no spread to fit, the likelihood keeps rising as r and α, a and b
    // grow in proportion (a demo history did this and took 90 s to fit).
    let seed = 7
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return (seed + 0.5) / 2 ** 31
    }
    const n = 3000
    const [x, tx, T] = [new Float64Array(n), new Float64Array(n), Float64Array.from({ length: n }, (_, i) => 20 + (i % 33))]
    for (let i = 0; i < n; i++) {
      for (let time = 0; ; ) {
        time += -Math.log(random()) / 0.5
        if (time > T[i]) break
        x[i]++
        tx[i] = time
        if (random() < 0.3) break
      }
    }
    const fit = fitBgNbd({ x, tx, T })
    for (const value of [fit.r, fit.alpha, fit.a, fit.b]) expect(value).toBeLessThanOrEqual(1e5)
    // What the data does say is still right: the purchase rate and the chance of quitting.
    expect(fit.r / fit.alpha).toBeCloseTo(0.5, 1)
    expect(fit.a / (fit.a + fit.b)).toBeCloseTo(0.3, 1)
  })

  it.skipIf(!sample || !summary)('summarises the CDNOW sample exactly as the published summary file does', async () => {
    const data = await calibrate(readCdnow(sample as string), '1997-09-30')
    const rows = (await readFile(summary as string, 'utf8')).trim().split('\n').slice(1)
    expect(data.customers).toHaveLength(rows.length)
    const mine = new Map(data.customers.map((c, i) => [Number(c), i]))
    for (const row of rows) {
      const [id, x, tx, T, zbar] = row.split(',').map(Number)
      const i = mine.get(id) as number
      expect([data.x[i], Number(data.tx[i].toFixed(2)), Number(data.T[i].toFixed(2))]).toEqual([x, tx, T])
      if (x > 0) expect(data.m[i]).toBeCloseTo(zbar, 1)
    }
  })

  it.skipIf(!sample)('reproduces the published CDNOW estimates to within 1%', async () => {
    const fit = await fitClvFile(sample as string, { format: 'cdnow', calibrationEnd: '1997-09-30' })
    expect(fit).toMatchObject({ customers: 2357, repeatCustomers: 946, observationEnd: '1998-06-30' })
    within(fit.bgnbd.r, 0.243)
    within(fit.bgnbd.alpha, 4.414)
    within(fit.bgnbd.a, 0.793)
    within(fit.bgnbd.b, 2.426)
    expect(fit.bgnbd.logLikelihood).toBeCloseTo(-9582.4, 0)
    within(fit.gammaGamma?.p ?? 0, 6.25)
    within(fit.gammaGamma?.q ?? 0, 3.74)
    within(fit.gammaGamma?.gamma ?? 0, 15.44)
    // The holdout check: 39 weeks, predictions close to what customers did, group by group.
    expect(fit.holdout.weeks).toBe(39)
    expect(fit.holdout.actual).toBe(1882)
    expect(fit.holdout.predicted / fit.holdout.actual).toBeGreaterThan(0.8)
    expect(fit.holdout.byFrequency.map((g) => g.frequency)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+'])
    for (const g of fit.holdout.byFrequency) expect(Math.abs(g.predicted - g.actual)).toBeLessThan(0.5)
  })

  it('reads the generic format as one transaction per order, net of returns, without guests', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'regulars-clv-'))
    const file = join(dir, 'history.csv')
    await writeFile(
      file,
      [
        'member_id,order_id,occurred_at,sku,quantity,unit_price,discount',
        'M1,O1,2026-01-05T10:00:00Z,A,2,10.00,',
        'M1,O1,2026-01-05T10:00:00Z,B,1,5.00,1.00',
        'M1,O1,2026-01-20T10:00:00Z,A,-1,10.00,', // a return of one A: the order is worth 14
        'M1,O2,2026-01-05T18:00:00Z,C,1,3.00,', // the same day: one purchase day worth 17 with O1
        'M1,O3,2026-02-02T10:00:00Z,C,2,3.00,',
        ',G1,2026-01-06T10:00:00Z,A,1,10.00,', // a guest: no customer to model
        'M2,O4,2026-03-01T10:00:00Z,A,1,10.00,',
      ].join('\n'),
    )
    const data = await calibrate(readGeneric(file), '2026-02-28', '2026-03-31')
    expect(data.customers).toEqual(['M1']) // M2 first bought after the calibration end
    expect([data.x[0], data.tx[0], data.T[0], data.m[0]]).toEqual([1, 4, 54 / 7, 6])
  })
})

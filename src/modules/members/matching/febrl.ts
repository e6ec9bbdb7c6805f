import { readFile } from 'node:fs/promises'
import Papa from 'papaparse'
import { findDuplicates } from './find.js'
import type { PersonRecord } from './score.js'

/**
 * Febrl's synthetic person files (Christen), the usual yardstick for record linkage: ids
 * `rec-N-org` and `rec-N-dup-K`, records sharing N are one person. `withNationalId: false` drops
 * soc_sec_id, to see how the detector does on what a retailer has.
 */
export async function readFebrl(path: string, { withNationalId = true } = {}): Promise<PersonRecord[]> {
  const text = await readFile(path, 'utf8')
  // The header and the values have a space after each comma.
  const { data } = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim() })
  if (data.length && !('rec_id' in data[0])) throw new Error(`${path} is not a Febrl file: it has no rec_id column`)
  return data.map((row) => {
    const field = (name: string) => row[name]?.trim() || null
    // YYYYMMDD; empty or cut short in some records. An impossible day (19320239) is kept: it is
    // still a typo of the real date.
    const born = field('date_of_birth')
    return {
      id: field('rec_id') ?? '',
      givenName: field('given_name'),
      familyName: field('surname'),
      birthDate: born && /^\d{8}$/.test(born) ? `${born.slice(0, 4)}-${born.slice(4, 6)}-${born.slice(6)}` : null,
      addressLine: [field('street_number'), field('address_1'), field('address_2')].filter(Boolean).join(' ') || null,
      city: field('suburb'),
      postcode: field('postcode'),
      phone: null,
      email: null,
      nationalId: withNationalId ? field('soc_sec_id') : null,
    }
  })
}

export interface Evaluation {
  records: number
  truePairs: number
  pairsFound: number
  truePositives: number
  precision: number
  recall: number
  f1: number
  /** Reading, blocking and scoring. */
  seconds: number
}

const personOf = (id: string) => id.replace(/-(org|dup-\d+)$/, '')
const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`)

/**
 * Runs the detector on a Febrl file and scores it against the ids' ground truth. With `linkTo`,
 * links two files instead (Febrl's dataset4a and 4b): only pairs across the files count.
 */
export async function evaluateFebrl(path: string, options: { withNationalId?: boolean; linkTo?: string } = {}): Promise<Evaluation> {
  const began = performance.now()
  const left = await readFebrl(path, options)
  const right = options.linkTo ? await readFebrl(options.linkTo, options) : []
  const inLeft = new Set(left.map((r) => r.id))
  if (right.some((r) => inLeft.has(r.id))) throw new Error('the two files share record ids, so pairs across them cannot be told apart')
  const records = [...left, ...right]
  const across = (a: PersonRecord, b: PersonRecord) => inLeft.has(a.id) !== inLeft.has(b.id)
  const found = findDuplicates(records, options.linkTo ? { only: across } : {})
  const seconds = (performance.now() - began) / 1000

  const byPerson = new Map<string, PersonRecord[]>()
  for (const r of records) byPerson.set(personOf(r.id), [...(byPerson.get(personOf(r.id)) ?? []), r])
  const truth = new Set<string>()
  for (const same of byPerson.values())
    for (let i = 0; i < same.length; i++)
      for (let j = i + 1; j < same.length; j++) if (!options.linkTo || across(same[i], same[j])) truth.add(pairKey(same[i].id, same[j].id))

  const truePositives = found.filter((p) => truth.has(pairKey(p.a, p.b))).length
  const precision = found.length ? truePositives / found.length : 1
  const recall = truth.size ? truePositives / truth.size : 1
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0
  const round = (x: number) => Math.round(x * 10_000) / 10_000
  return {
    records: records.length,
    truePairs: truth.size,
    pairsFound: found.length,
    truePositives,
    precision: round(precision),
    recall: round(recall),
    f1: round(f1),
    seconds: round(seconds),
  }
}

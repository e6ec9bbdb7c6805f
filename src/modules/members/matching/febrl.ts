import { readFile } from 'node:fs/promises'
import Papa from 'papaparse'
import { findDuplicates } from './find.js'
import type { PersonRecord } from './score.js'

/**
 * Febrl's synthetic person files (`rec-N-org`, `rec-N-dup-K`: records sharing N are one person),
 * the usual yardstick for record linkage. `withNationalId: false` hides soc_sec_id, to see how the
 * detector does on what a retailer has.
 */
export async function readFebrl(path: string, { withNationalId = true } = {}): Promise<PersonRecord[]> {
  const text = await readFile(path, 'utf8')
  const { data } = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim() })
  return data.map((row) => {
    const field = (name: string) => row[name]?.trim() || null
    const born = field('date_of_birth')
    return {
      id: field('rec_id') as string,
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

const person = (id: string) => id.replace(/-(org|dup-\d+)$/, '')
const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`)

export interface Evaluation {
  records: number
  truePairs: number
  pairsFound: number
  truePositives: number
  precision: number
  recall: number
  f1: number
  seconds: number
}

/** Runs the detector on a Febrl file and scores it against the ids' ground truth. */
export async function evaluateFebrl(path: string, options: { withNationalId?: boolean } = {}): Promise<Evaluation> {
  const began = performance.now()
  const records = await readFebrl(path, options)
  const found = findDuplicates(records)
  const seconds = (performance.now() - began) / 1000
  const byPerson = new Map<string, string[]>()
  for (const r of records) byPerson.set(person(r.id), [...(byPerson.get(person(r.id)) ?? []), r.id])
  const truth = new Set<string>()
  for (const ids of byPerson.values()) for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) truth.add(pairKey(ids[i], ids[j]))
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

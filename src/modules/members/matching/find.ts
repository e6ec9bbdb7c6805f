import { soundex } from './compare.js'
import { type PersonRecord, type PreparedPerson, prepare, reasonsOf, sameThreshold, scoreOf, weighPrepared } from './score.js'

export interface FoundPair {
  a: string
  b: string
  score: number
  reasons: string[]
}

export interface FindOptions {
  /** Pairs scoring at least this are returned (default: `sameThreshold`). */
  threshold?: number
  /** How many neighbours each record meets in every sorted pass (default 8). */
  window?: number
  /** Blocks bigger than this (a common name on a common day) are compared in a sorted window, not all pairs (default 50). */
  largestBlock?: number
  /** Only pairs this accepts are compared, e.g. records from two different files when linking them. */
  only?: (a: PersonRecord, b: PersonRecord) => boolean
}

const initials = (p: PreparedPerson) => `${p.given?.whole[0] ?? ''}${p.family?.whole[0] ?? ''}`
const reversed = (text: string) => [...text].reverse().join('')

/**
 * Keys a person's other record very likely shares at least one of: the exact-match half of the
 * blocking. Each needs two fields, so one typo leaves the others standing.
 */
function blockingKeys(p: PreparedPerson): string[] {
  const given = p.given ? soundex(p.given.whole) : ''
  const family = p.family ? soundex(p.family.whole) : ''
  const street = p.address ? `${p.address.numbers[0] ?? ''}${p.address.letters.slice(0, 6)}` : ''
  const keys: string[] = []
  const add = (ok: unknown, key: string) => ok && keys.push(key)
  add(p.nationalId.length >= 5, `n${p.nationalId}`)
  add(family && p.born, `fb${family}${p.born}`)
  add(given && p.born, `gb${given}${p.born}`)
  add(family && p.born, `fy${family}${p.born.slice(0, 4)}`)
  add(family && p.postcode, `fp${family}${p.postcode}`)
  add(given && p.postcode, `gp${given}${p.postcode}`)
  add(p.born && p.postcode, `bp${p.born}${p.postcode}`)
  add(p.born && street, `ba${p.born}${street}`)
  add(street.length > 4 && p.postcode, `ap${street}${p.postcode}`)
  add(given && family, `nm${[given, family].sort().join('')}`)
  add(p.born && family, `md${p.born.slice(4)}${family}`)
  add(p.email && p.email.local.length >= 4, `e${p.email?.local}`)
  add(p.phone, `t${p.phone.slice(-7)}`)
  add(p.postcode && initials(p).length === 2, `pi${p.postcode}${initials(p)}`)
  return keys
}

/**
 * Sort orders for the sorted-neighbourhood half of the blocking: records near each other in one
 * of these orders are compared, which catches the typos that break an exact key. An empty key
 * leaves the record out of that pass.
 */
const sortingKeys: ((p: PreparedPerson) => string)[] = [
  (p) => (p.family && p.given ? `${p.family.whole} ${p.given.whole} ${p.born}` : ''),
  (p) => (p.given && p.family ? `${p.given.whole} ${p.family.whole} ${p.born}` : ''),
  // Both names in alphabetical order, so records with the names swapped sort together.
  (p) => [p.given?.whole ?? '', p.family?.whole ?? ''].sort().join(' ').trim(),
  // Typos at the start of a name hide from the orders above.
  (p) => (p.family ? `${reversed(p.family.whole)} ${p.given?.whole ?? ''}` : ''),
  (p) => (p.born ? `${p.born} ${p.family?.whole ?? ''}` : ''),
  (p) => (p.address ? `${p.address.letters} ${p.address.numbers.join(' ')} ${p.postcode}` : ''),
  (p) => (p.postcode && p.address ? `${p.postcode} ${p.address.numbers.join(' ')} ${p.address.letters}` : ''),
  (p) => (p.nationalId ? reversed(p.nationalId) : ''),
  (p) => (p.email ? p.email.local : ''),
]

/** Calls `meet` once for every pair of record indexes (i < j) the blocking puts together. */
function candidatePairs(people: PreparedPerson[], window: number, largestBlock: number, meet: (i: number, j: number) => void) {
  const n = people.length
  const met = new Set<number>()
  const pair = (x: number, y: number) => {
    const [i, j] = x < y ? [x, y] : [y, x]
    const key = i * n + j
    if (x === y || met.has(key)) return
    met.add(key)
    meet(i, j)
  }
  const slide = (order: number[]) => {
    for (let i = 0; i < order.length; i++) for (let j = i + 1; j < Math.min(order.length, i + window); j++) pair(order[i], order[j])
  }
  const byFirstPass = people.map(sortingKeys[0])
  const blocks = new Map<string, number[]>()
  people.forEach((person, index) => {
    for (const key of blockingKeys(person)) {
      const block = blocks.get(key)
      if (block) block.push(index)
      else blocks.set(key, [index])
    }
  })
  for (const block of blocks.values()) {
    if (block.length <= largestBlock) {
      for (let i = 0; i < block.length; i++) for (let j = i + 1; j < block.length; j++) pair(block[i], block[j])
    } else {
      // Too common to compare everyone in it: only neighbours by name.
      slide(block.sort((x, y) => (byFirstPass[x] < byFirstPass[y] ? -1 : byFirstPass[x] > byFirstPass[y] ? 1 : 0)))
    }
  }
  for (const sortingKey of sortingKeys) {
    const keyed = people.map((p, index) => ({ key: sortingKey(p), index })).filter((k) => k.key)
    keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    slide(keyed.map((k) => k.index))
  }
}

/** Every pair of records likely to be one person, most likely first. */
export function findDuplicates(records: PersonRecord[], options: FindOptions = {}): FoundPair[] {
  const { threshold = sameThreshold, window = 8, largestBlock = 50, only } = options
  const people = records.map(prepare)
  const found: FoundPair[] = []
  candidatePairs(people, window, largestBlock, (i, j) => {
    if (only && !only(records[i], records[j])) return
    const { logOdds, evidence } = weighPrepared(people[i], people[j])
    const score = scoreOf(logOdds)
    // Reasons are words for people: only the pairs they will see need them.
    if (score >= threshold) found.push({ a: records[i].id, b: records[j].id, score, reasons: reasonsOf(evidence) })
  })
  return found.sort((p, q) => q.score - p.score)
}

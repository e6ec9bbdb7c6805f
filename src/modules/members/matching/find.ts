import { soundex } from './compare.js'
import { type PersonRecord, type PreparedPerson, prepare, reasonsOf, sameThreshold, scoreOf, twoPeopleAtOneAddress, weighPrepared } from './score.js'

export interface FoundPair {
  a: string
  b: string
  score: number
  reasons: string[]
}

export interface FindOptions {
  /** Pairs scoring at least this are returned (default: `sameThreshold`). */
  threshold?: number
  /** How many records the sliding window of each sorted pass holds: each meets the next window − 1 (default 6). */
  window?: number
  /** Blocks bigger than this (a common name on a common day) are compared in a sorted window, not all pairs (default 50). */
  largestBlock?: number
  /** Only pairs this accepts are compared, e.g. records from two different files when linking them. */
  only?: (a: PersonRecord, b: PersonRecord) => boolean
  /** How much people in the data share homes (0..1, see `scorePair`); read off the data when not given. */
  households?: number
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

/**
 * Every pair of record indexes the blocking puts together, once each, as i × n + j with i < j.
 * Kept in a typed array and deduplicated by sorting: a Set of millions of pairs would not fit.
 */
function candidatePairs(people: PreparedPerson[], window: number, largestBlock: number): Float64Array {
  const n = people.length
  let pairs = new Float64Array(Math.max(1024, n * 16))
  let count = 0
  const pair = (x: number, y: number) => {
    if (x === y) return
    if (count === pairs.length) {
      const bigger = new Float64Array(pairs.length * 2)
      bigger.set(pairs)
      pairs = bigger
    }
    pairs[count++] = x < y ? x * n + y : y * n + x
  }
  const slide = (order: number[]) => {
    for (let i = 0; i < order.length; i++) for (let j = i + 1; j < Math.min(order.length, i + window); j++) pair(order[i], order[j])
  }
  const byName = people.map(sortingKeys[0])
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
      slide(block.sort((x, y) => (byName[x] < byName[y] ? -1 : byName[x] > byName[y] ? 1 : 0)))
    }
  }
  for (const sortingKey of sortingKeys) {
    const keyed = people.map((p, index) => ({ key: sortingKey(p), index })).filter((k) => k.key)
    keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    slide(keyed.map((k) => k.index))
  }
  const sorted = pairs.subarray(0, count).sort()
  let unique = 0
  for (let k = 0; k < count; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[unique++] = sorted[k]
  return sorted.subarray(0, unique)
}

/**
 * How much people who share an address are family in this data, from the pairs at one address
 * that are plainly two people. Among a retailer's members that is most such pairs (couples,
 * parents and children); in a list of unrelated people it is only the odd record typed very
 * wrong. With too few such pairs to tell, member data is assumed.
 */
function householdsIn(people: PreparedPerson[], pairs: Float64Array): number {
  const n = people.length
  let atOneAddress = 0
  let plainlyTwo = 0
  // A sample of the pairs tells as well as all of them.
  const stride = Math.max(1, Math.floor(pairs.length / 50_000))
  for (let k = 0; k < pairs.length; k += stride) {
    const two = twoPeopleAtOneAddress(people[Math.floor(pairs[k] / n)], people[pairs[k] % n])
    if (two === undefined) continue
    atOneAddress++
    if (two) plainlyTwo++
  }
  if (atOneAddress < 30) return 1
  // A few percent is typing noise; a quarter or more is a population living in households.
  return Math.min(1, Math.max(0, (plainlyTwo / atOneAddress - 0.05) / 0.2))
}

/** Every pair of records likely to be one person, most likely first. */
export function findDuplicates(records: PersonRecord[], options: FindOptions = {}): FoundPair[] {
  const { threshold = sameThreshold, window = 6, largestBlock = 50, only } = options
  const people = records.map(prepare)
  const pairs = candidatePairs(people, window, largestBlock)
  const households = options.households ?? householdsIn(people, pairs)
  const found: FoundPair[] = []
  const n = records.length
  for (const key of pairs) {
    const [i, j] = [Math.floor(key / n), key % n]
    if (only && !only(records[i], records[j])) continue
    const { logOdds, evidence } = weighPrepared(people[i], people[j], households)
    const score = scoreOf(logOdds)
    // Reasons are words for people: only the pairs they will see need them.
    if (score >= threshold) found.push({ a: records[i].id, b: records[j].id, score, reasons: reasonsOf(evidence) })
  }
  return found.sort((p, q) => q.score - p.score)
}

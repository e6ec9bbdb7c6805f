import { digits, plain, soundex } from './compare.js'
import { type PersonRecord, sameThreshold, scorePair } from './score.js'

export interface FoundPair {
  a: string
  b: string
  score: number
  reasons: string[]
}

/** A key bigger than this (a very common name and year) says too little to compare within. */
const largestBlock = 200

/**
 * Cheap keys that a person's duplicate very likely shares at least one of, so only records sharing
 * a key are compared (a few thousand pairs, not everyone with everyone).
 */
export function blockingKeys(p: PersonRecord): string[] {
  const given = plain(p.givenName)
  const family = plain(p.familyName)
  const born = digits(p.birthDate)
  const postcode = (p.postcode ?? '').replace(/\s/g, '').toUpperCase()
  const keys: string[] = []
  const add = (ok: unknown, key: string) => ok && keys.push(key)
  add(digits(p.nationalId).length >= 5, `n${digits(p.nationalId)}`)
  add(family && born, `fy${soundex(family)}${born.slice(0, 4)}`)
  add(given && born, `gb${soundex(given)}${born}`)
  add(family && postcode, `fp${family.slice(0, 3)}${postcode}`)
  add(given && postcode, `gp${given.slice(0, 3)}${postcode}`)
  add(born && postcode, `bp${born}${postcode}`)
  // Both name orders under one key, so swapped names meet.
  add(given && family, `nm${[soundex(given), soundex(family)].sort().join('')}`)
  add(born.length === 8 && family, `md${born.slice(4)}${family.slice(0, 2)}`)
  const local = (p.email ?? '').split('@')[0].toLowerCase()
  add(local.length >= 4, `e${local}`)
  add(digits(p.phone).length >= 7, `t${digits(p.phone).slice(-7)}`)
  return keys
}

/** Every pair of records likely to be one person, most likely first. */
export function findDuplicates(records: PersonRecord[], { threshold = sameThreshold } = {}): FoundPair[] {
  const blocks = new Map<string, number[]>()
  records.forEach((record, index) => {
    for (const key of blockingKeys(record)) {
      const block = blocks.get(key)
      if (block) block.push(index)
      else blocks.set(key, [index])
    }
  })
  const compared = new Set<number>()
  const found: FoundPair[] = []
  const width = records.length
  for (const block of blocks.values()) {
    if (block.length < 2 || block.length > largestBlock) continue
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        const [x, y] = block[i] < block[j] ? [block[i], block[j]] : [block[j], block[i]]
        const pair = x * width + y
        if (compared.has(pair)) continue
        compared.add(pair)
        const { score, reasons } = scorePair(records[x], records[y])
        if (score >= threshold) found.push({ a: records[x].id, b: records[y].id, score, reasons })
      }
    }
  }
  return found.sort((p, q) => q.score - p.score)
}

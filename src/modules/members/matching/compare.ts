/**
 * Field comparators for telling whether two records are one person: names with typos, nicknames,
 * initials and double names; dates typed wrong; addresses written differently. Inputs are the
 * normalised forms made by `prepare` (score.ts), so a record is cleaned once, not once per pair.
 */
import { isNickname } from './nicknames.js'

/**
 * Jaro–Winkler similarity in 0..1: forgiving of typos and transposed letters, and rewarding a
 * shared beginning, where names are least often mistyped.
 */
let [usedA, usedB] = [new Uint8Array(64), new Uint8Array(64)]

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length > 0 ? 1 : 0
  const [la, lb] = [a.length, b.length]
  if (la === 0 || lb === 0) return 0
  const reach = Math.max(0, (Math.max(la, lb) >> 1) - 1)
  // Scratch space reused across calls: this runs hundreds of thousands of times per scan.
  if (la > usedA.length || lb > usedB.length) [usedA, usedB] = [new Uint8Array(la * 2), new Uint8Array(lb * 2)]
  usedA.fill(0, 0, la)
  usedB.fill(0, 0, lb)
  let matches = 0
  for (let i = 0; i < la; i++) {
    const last = Math.min(lb - 1, i + reach)
    for (let j = Math.max(0, i - reach); j <= last; j++) {
      if (usedB[j] || a.charCodeAt(i) !== b.charCodeAt(j)) continue
      usedA[i] = usedB[j] = 1
      matches++
      break
    }
  }
  if (matches === 0) return 0
  let outOfOrder = 0
  for (let i = 0, j = 0; i < la; i++) {
    if (!usedA[i]) continue
    while (!usedB[j]) j++
    if (a.charCodeAt(i) !== b.charCodeAt(j)) outOfOrder++
    j++
  }
  const jaro = (matches / la + matches / lb + (matches - outOfOrder / 2) / matches) / 3
  // Winkler's boost only lifts strings that are already alike.
  if (jaro < 0.7) return jaro
  let prefix = 0
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++
  return jaro + prefix * 0.1 * (1 - jaro)
}

/**
 * True when b is a one-key slip of a: one character wrong, missing or extra, or two neighbours
 * swapped (4750 for 4570). The usual mistake in codes, dates and numbers.
 */
export function oneSlipApart(a: string, b: string): boolean {
  if (a === b) return false
  const [short, long] = a.length <= b.length ? [a, b] : [b, a]
  if (long.length - short.length > 1) return false
  let i = 0
  while (i < short.length && short[i] === long[i]) i++
  if (short.length === long.length) {
    if (short.slice(i + 1) === long.slice(i + 1)) return true
    return short[i] === long[i + 1] && short[i + 1] === long[i] && short.slice(i + 2) === long.slice(i + 2)
  }
  return short.slice(i) === long.slice(i + 1)
}

/** Lower case, accents gone, anything but letters, digits and spaces turned into spaces. */
export const simplify = (text: string | null | undefined): string =>
  (text ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()

export const digits = (text: string | null | undefined): string => (text ?? '').replace(/\D/g, '')

/** A name as the comparators want it: all its letters, and its parts ("anne-marie" → anne, marie). */
export interface NameForm {
  whole: string
  parts: string[]
}

export function nameForm(text: string | null | undefined): NameForm | null {
  const parts = simplify(text).replace(/[0-9]/g, '').split(' ').filter(Boolean)
  return parts.length ? { whole: parts.join(''), parts } : null
}

export type NameLevel = 'same' | 'alike' | 'initial' | 'close' | 'different'

/**
 * How two names agree: the same; alike (a typo, a nickname, or one name part of the other's,
 * as with middle names and double surnames); an initial that fits; close; or different.
 */
export function compareNames(a: NameForm, b: NameForm): NameLevel {
  if (a.whole === b.whole) return 'same'
  if (a.whole.length === 1 || b.whole.length === 1) return a.whole[0] === b.whole[0] ? 'initial' : 'different'
  const similarity = jaroWinkler(a.whole, b.whole)
  if (similarity >= 0.92) return 'alike'
  for (const x of a.parts) for (const y of b.parts) if (x.length > 1 && (x === y || isNickname(x, y))) return 'alike'
  return similarity >= 0.85 ? 'close' : 'different'
}

export type DateLevel = 'same' | 'swapped' | 'typo' | 'birthday' | 'different'

/** Dates as YYYYMMDD: the same; day and month swapped; one key slipped; same day and month; different. */
export function compareDates(a: string, b: string): DateLevel {
  if (a === b) return 'same'
  const year = a.slice(0, 4) === b.slice(0, 4)
  if (year && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6)) return 'swapped'
  if (oneSlipApart(a, b)) return 'typo'
  // A year changed by more than one key but the birthday kept: people round their age.
  return a.slice(4) === b.slice(4) ? 'birthday' : 'different'
}

// Street-type words written both ways; flat/unit words carry no meaning of their own (their number does).
const streetWords: Record<string, string> = {
  st: 'street',
  str: 'street',
  rd: 'road',
  ave: 'avenue',
  av: 'avenue',
  dr: 'drive',
  ln: 'lane',
  pl: 'place',
  cres: 'crescent',
  cr: 'crescent',
  ct: 'court',
  cct: 'circuit',
  tce: 'terrace',
  hwy: 'highway',
  sq: 'square',
  blvd: 'boulevard',
  pde: 'parade',
  cl: 'close',
  gr: 'grove',
}
const fillerWords = new Set(['flat', 'unit', 'apt', 'apartment', 'no', 'suite', 'floor', 'flr'])

/** An address line split into its numbers (house, flat) and its words, abbreviations spelled out. */
export interface AddressForm {
  numbers: string[]
  words: string[]
  letters: string
}

export function addressForm(text: string | null | undefined): AddressForm | null {
  const tokens = simplify(text).split(' ').filter(Boolean)
  const numbers = tokens.filter((t) => /\d/.test(t))
  const words = tokens.filter((t) => !/\d/.test(t) && !fillerWords.has(t)).map((t) => streetWords[t] ?? t)
  return numbers.length || words.length ? { numbers, words, letters: words.join('') } : null
}

const pairCounts = new Int32Array(27 * 27)
const letterPair = (text: string, i: number) => Math.min(26, Math.max(0, text.charCodeAt(i) - 96)) * 27 + Math.min(26, Math.max(0, text.charCodeAt(i + 1) - 96))

/**
 * Share of letter pairs two strings have in common: robust to words run together, split or
 * reordered. Half Dice, half how much of the shorter the longer holds (a dropped locality word).
 */
function bigramOverlap(a: string, b: string): number {
  if (a.length < 2 || b.length < 2) return a === b ? 1 : 0
  for (let i = 0; i < a.length - 1; i++) pairCounts[letterPair(a, i)]++
  let shared = 0
  for (let i = 0; i < b.length - 1; i++) {
    const k = letterPair(b, i)
    if (pairCounts[k] > 0) {
      shared++
      pairCounts[k]--
    }
  }
  for (let i = 0; i < a.length - 1; i++) pairCounts[letterPair(a, i)] = 0
  return (2 * shared) / (a.length + b.length - 2) / 2 + shared / (Math.min(a.length, b.length) - 1) / 2
}

type NumbersLevel = 'agree' | 'slip' | 'conflict' | 'unknown'

/** House and flat numbers: one in common, one a key slip of the other (26/62, 20/202), or none alike. */
function compareNumbers(a: string[], b: string[]): NumbersLevel {
  if (!a.length || !b.length) return 'unknown'
  if (a.some((n) => b.includes(n))) return 'agree'
  return a.some((n) => b.some((m) => oneSlipApart(n, m))) ? 'slip' : 'conflict'
}

/** How alike the street words are (0..1, NaN when one side has none), and whether the numbers agree. */
export function compareAddresses(a: AddressForm, b: AddressForm): { words: number; numbers: NumbersLevel } {
  const numbers = compareNumbers(a.numbers, b.numbers)
  if (!a.words.length || !b.words.length) return { words: Number.NaN, numbers }
  // Letter pairs ignore word order, so lines sharing few of them cannot have alike words: skip the word-by-word pass.
  const joined = bigramOverlap(a.letters, b.letters)
  if (joined < 0.35) return { words: joined, numbers }
  // Each word of the shorter line finds its best partner in the longer one; an extra locality
  // word on one side ("…, willaroo") counts less than a word that disagrees.
  const [short, long] = a.words.length <= b.words.length ? [a.words, b.words] : [b.words, a.words]
  let found = 0
  for (const word of short) {
    if (long.includes(word)) {
      found += 1
      continue
    }
    let best = 0
    for (const other of long) best = Math.max(best, jaroWinkler(word, other))
    if (best >= 0.85) found += best
  }
  const tokens = (found / short.length + (2 * found) / (short.length + long.length)) / 2
  return { words: Math.max(tokens, joined), numbers }
}

/** Soundex: names that sound alike share a key (Smith, Smyth → S530); used to block, never to score. */
export function soundex(name: string): string {
  const letters = name.replace(/[^a-z]/g, '')
  if (!letters) return ''
  // The digit for each letter a…z; vowels, h, w and y have none.
  const code = (c: string) => ' 123 12  22455 12623 1 2 2'[c.charCodeAt(0) - 97].trim()
  let key = letters[0]
  let last = code(letters[0])
  for (const letter of letters.slice(1)) {
    const c = code(letter)
    if (c && c !== last) key += c
    if (letter !== 'h' && letter !== 'w') last = c
    if (key.length === 4) break
  }
  return key.padEnd(4, '0')
}

/**
 * Word filters match whole words of normalised text, so "Scunthorpe" and "classic" pass a filter
 * on their insides. Normalising folds what people do to slip a word past a filter: case, accents
 * (NFKD, then marks dropped), look-alike digits and symbols ("sh1t", "$h!t"), letters spaced or
 * dotted out ("s h i t", "s.h.i.t") and stretched letters ("shiiiit"). A term ending in `*` also
 * matches words that start with it ("scam*": scammer, scams).
 */

/**
 * Look-alikes read as letters. "1" and "|" may stand for i or l, and a symbol may be a letter
 * ("$h!t") or just punctuation ("s.h.i.t!"): the text is read each way, and any reading counts.
 */
const digits: Record<string, string> = { '0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g' }
const symbols: Record<string, string> = { '@': 'a', $: 's', '+': 't', '!': 'i' }
const ambiguous = /[1|]/g

function fold(text: string, one: 'i' | 'l', symbolsAreLetters: boolean): string {
  const plain = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(ambiguous, one)
  let out = ''
  for (const ch of plain) out += digits[ch] ?? (symbolsAreLetters ? symbols[ch] : undefined) ?? ch
  return out
}

/** Words of the folded text; runs of single letters ("s h i t") are read as one word too. */
function words(folded: string): string[] {
  const tokens = folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean)
  const out: string[] = []
  let run = ''
  for (const token of tokens) {
    if (token.length === 1) {
      run += token
      continue
    }
    if (run) out.push(run)
    run = ''
    out.push(token)
  }
  if (run) out.push(run)
  return out
}

/** Letters stretched to three or more in a row, squeezed to one ("shiiit" → "shit", but "ass" stays). */
const squeeze = (word: string) => word.replace(/(\p{L})\1+/gu, '$1')
const stretched = (word: string) => /(\p{L})\1\1/u.test(word)

/** A term as it is stored and matched: its folded words, space-separated. */
export function normaliseTerm(term: string): string {
  const wildcard = term.trim().endsWith('*')
  const folded = words(fold(term.trim().replace(/\*$/, ''), 'i', true)).join(' ')
  return wildcard && folded ? `${folded}*` : folded
}

export interface WordFilter {
  term: string
  normalised: string
  action: 'hold' | 'refuse'
}

function wordMatches(word: string, pattern: string): boolean {
  if (pattern.endsWith('*')) {
    const stem = pattern.slice(0, -1)
    return word.startsWith(stem) || (stretched(word) && squeeze(word).startsWith(squeeze(stem)))
  }
  return word === pattern || (stretched(word) && squeeze(word) === squeeze(pattern))
}

function containsPhrase(textWords: string[], phrase: string[]): boolean {
  for (let i = 0; i + phrase.length <= textWords.length; i++) {
    if (phrase.every((p, j) => wordMatches(textWords[i + j], p))) return true
  }
  return false
}

/** The filters the text trips, in the list's order. */
export function matchFilters<F extends WordFilter>(text: string, filters: readonly F[]): F[] {
  if (filters.length === 0) return []
  const readings = (['i', 'l'] as const).flatMap((one) => [words(fold(text, one, true)), words(fold(text, one, false))])
  return filters.filter((f) => {
    const phrase = f.normalised.split(' ')
    return readings.some((reading) => containsPhrase(reading, phrase))
  })
}

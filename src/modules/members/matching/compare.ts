/**
 * Field comparators for telling whether two records are one person: names with typos, nicknames
 * and initials; dates typed wrong; addresses written differently. Each returns a similarity in 0..1.
 */

/** Jaro–Winkler similarity: forgiving of typos, rewarding a shared beginning (names). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0
  if (!a.length || !b.length) return 0
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1)
  const aMatched = new Array<boolean>(a.length).fill(false)
  const bMatched = new Array<boolean>(b.length).fill(false)
  let matches = 0
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window)
    const to = Math.min(b.length - 1, i + window)
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue
      aMatched[i] = bMatched[j] = true
      matches++
      break
    }
  }
  if (matches === 0) return 0
  let transpositions = 0
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatched[i]) continue
    while (!bMatched[j]) j++
    if (a[i] !== b[j]) transpositions++
    j++
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3
  let prefix = 0
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++
  return jaro + prefix * 0.1 * (1 - jaro)
}

/** Edit distance, for short codes (postcodes, dates, ids) where one wrong key is the usual slip. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length]
}

/** Letters only, lower case, accents gone: "O'Brien-Smith" → "obriensmith". */
export const plain = (text: string | null | undefined) =>
  (text ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '')

export const digits = (text: string | null | undefined) => (text ?? '').replace(/\D/g, '')

/** Soundex: names that sound alike share a key (Smith, Smyth → S530), for blocking. */
export function soundex(name: string): string {
  const letters = plain(name)
  if (!letters) return ''
  const codes: Record<string, string> = {
    b: '1',
    f: '1',
    p: '1',
    v: '1',
    c: '2',
    g: '2',
    j: '2',
    k: '2',
    q: '2',
    s: '2',
    x: '2',
    z: '2',
    d: '3',
    t: '3',
    l: '4',
    m: '5',
    n: '5',
    r: '6',
  }
  let key = letters[0].toUpperCase()
  let last = codes[letters[0]] ?? ''
  for (const letter of letters.slice(1)) {
    const code = codes[letter] ?? ''
    if (code && code !== last) key += code
    if (letter !== 'h' && letter !== 'w') last = code
    if (key.length === 4) break
  }
  return key.padEnd(4, '0')
}

const nicknames: [string, string][] = [
  ['william', 'bill'],
  ['william', 'will'],
  ['william', 'billy'],
  ['robert', 'bob'],
  ['robert', 'rob'],
  ['robert', 'bobby'],
  ['richard', 'dick'],
  ['richard', 'rich'],
  ['james', 'jim'],
  ['james', 'jimmy'],
  ['john', 'jack'],
  ['john', 'jon'],
  ['jonathan', 'jon'],
  ['thomas', 'tom'],
  ['thomas', 'tommy'],
  ['margaret', 'maggie'],
  ['margaret', 'peggy'],
  ['elizabeth', 'liz'],
  ['elizabeth', 'beth'],
  ['elizabeth', 'lizzie'],
  ['katherine', 'kate'],
  ['katherine', 'kathy'],
  ['catherine', 'kate'],
  ['catherine', 'cathy'],
  ['michael', 'mike'],
  ['michael', 'mick'],
  ['edward', 'ed'],
  ['edward', 'ted'],
  ['edward', 'eddie'],
  ['charles', 'charlie'],
  ['charles', 'chuck'],
  ['alexander', 'alex'],
  ['alexandra', 'alex'],
  ['samuel', 'sam'],
  ['samantha', 'sam'],
  ['daniel', 'dan'],
  ['daniel', 'danny'],
  ['joseph', 'joe'],
  ['benjamin', 'ben'],
  ['christopher', 'chris'],
  ['christine', 'chris'],
  ['matthew', 'matt'],
  ['anthony', 'tony'],
  ['patricia', 'pat'],
  ['patrick', 'pat'],
  ['susan', 'sue'],
  ['rebecca', 'becky'],
  ['jennifer', 'jenny'],
  ['jessica', 'jess'],
  ['victoria', 'vicky'],
  ['nicholas', 'nick'],
  ['isabella', 'bella'],
  ['charlotte', 'lottie'],
  ['eleanor', 'ellie'],
  ['florence', 'flo'],
  ['harriet', 'hattie'],
  ['matilda', 'tilly'],
  ['joshua', 'josh'],
  ['andrew', 'andy'],
  ['stephen', 'steve'],
  ['steven', 'steve'],
  ['timothy', 'tim'],
  ['david', 'dave'],
  ['peter', 'pete'],
]
const nicknameOf = new Map<string, Set<string>>()
for (const [full, short] of nicknames) {
  for (const [x, y] of [
    [full, short],
    [short, full],
  ])
    nicknameOf.set(x, (nicknameOf.get(x) ?? new Set()).add(y))
}
export const isNickname = (a: string, b: string) => nicknameOf.get(a)?.has(b) ?? false

/** How alike two names are: 1 the same, high for typos and nicknames, an initial agreeing with a name counts a little. */
export function nameSimilarity(a: string, b: string): number {
  if (!a || !b) return Number.NaN
  if (a === b) return 1
  if (isNickname(a, b)) return 0.95
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 0.8 : 0
  return jaroWinkler(a, b)
}

/** Dates as YYYYMMDD: the same, one key wrong, day and month swapped, or different. */
export function dateAgreement(a: string, b: string): 'same' | 'typo' | 'swapped' | 'different' {
  if (a === b) return 'same'
  if (a.length === 8 && b.length === 8 && a.slice(0, 4) === b.slice(0, 4) && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6))
    return 'swapped'
  return editDistance(a, b) <= 1 ? 'typo' : 'different'
}

/** Address words compared loosely: each word of the shorter finds its best partner in the longer. */
export function addressSimilarity(a: string, b: string): number {
  const words = (text: string) =>
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean)
  const [x, y] = [words(a), words(b)]
  if (!x.length || !y.length) return Number.NaN
  // Run-together words ("pridhamstreet") still match their halves: compare joined forms too.
  const joined = jaroWinkler(x.join(''), y.join(''))
  const [short, long] = x.length <= y.length ? [x, y] : [y, x]
  let total = 0
  for (const word of short)
    total += Math.max(...long.map((other) => (/\d/.test(word) || /\d/.test(other) ? (word === other ? 1 : 0) : jaroWinkler(word, other))))
  return Math.max(joined, total / short.length)
}

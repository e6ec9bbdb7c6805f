/**
 * Review themes: what a product's reviews complain of and praise, by counting words — no model, no
 * list of words for any shop or product, so it reads the same on any catalogue (docs/community.md).
 *
 * 1. Tokenise the title and text: lower case, accents folded, Markdown and links dropped, words of
 *    letters (and inner apostrophes); numbers and one- or two-letter words left out.
 * 2. Drop English stop words (the, and, it, very…) and the words of the product's own name.
 * 3. Terms are the words left and the bigrams of two such words that stood side by side in one
 *    clause (no line break or punctuation between), or of a negation and the word after it ("not warm", and then not "warm" alone).
 * 4. Count, per term, the reviews it appears in (once per review): among 1–2★ reviews and among 4–5★.
 *    3★ reviews count in neither.
 * 5. A complaint is a term in at least two low reviews that is more frequent (per review) among the
 *    low than among the high ones; praise the other way round. A word is left out when a bigram holding
 *    it is in as many reviews (the bigram says more); the five most frequent of each are kept.
 */

const stopWords = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being below between both but by can
   can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further get got had hadn't has hasn't
   have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't
   it it's its itself just let's me more most mustn't my myself nor now of off on once only or other ought our ours ourselves out over own
   really same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then there
   there's these they they'd they'll they're they've this those through to too under until up us very was wasn't we we'd we'll we're we've
   were weren't what what's when when's where where's which while who who's whom why why's will with won't would wouldn't you you'd you'll
   you're you've your yours yourself yourselves one two bit lot quite much many even still though yet ever bought buy use used using
   product item thing things`
    .split(/\s+/)
    .filter(Boolean),
)
/** Negations start a bigram ("not warm") though they are no term alone. */
const negations = new Set(['not', 'no', 'never', "didn't", "doesn't", "don't", "isn't", "wasn't", "won't", "can't", 'cannot', "couldn't", "wouldn't"])

/** The words of a text in order, folded, punctuation and numbers gone. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .split(/[^\p{L}']+/u)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w.length > 0)
}

/** A review's terms, each once: content words and bigrams (see above), never across a line or punctuation. */
export function termsOf(text: string, leaveOut: Set<string> = new Set()): Set<string> {
  const terms = new Set<string>()
  const content = (w: string) => w.length > 2 && !stopWords.has(w) && !negations.has(w) && !leaveOut.has(w)
  const plain = text.replace(/\]\([^)]*\)/g, ' ').replace(/(https?:\/\/|www\.)\S+/gi, ' ')
  for (const clause of plain.split(/[.,;:!?()[\]"\n\r]+|\s[-–—]\s/)) {
    const seq = words(clause)
    for (let i = 0; i < seq.length; i++) {
      const w = seq[i]
      // A negated word is no praise of its own: "not warm" counts, "warm" does not.
      if (content(w) && !negations.has(seq[i - 1] ?? '')) terms.add(w)
      const next = seq[i + 1]
      if (next !== undefined && content(next) && (content(w) || negations.has(w))) terms.add(`${w} ${next}`)
    }
  }
  return terms
}

export interface ThemeReview {
  rating: number
  title: string
  body: string
}
export interface Themes {
  complaints: { term: string; reviews: number }[]
  praise: { term: string; reviews: number }[]
}

/** A product's complaint and praise terms from its reviews (the method above). `productName`'s words are left out. */
export function reviewThemes(reviews: ThemeReview[], productName = '', { keep = 5, minReviews = 2 } = {}): Themes {
  const leaveOut = new Set(words(productName))
  const low = new Map<string, number>()
  const high = new Map<string, number>()
  let lows = 0
  let highs = 0
  for (const r of reviews) {
    const into = r.rating <= 2 ? low : r.rating >= 4 ? high : null
    if (!into) continue
    if (into === low) lows++
    else highs++
    for (const term of termsOf(`${r.title}\n${r.body}`, leaveOut)) into.set(term, (into.get(term) ?? 0) + 1)
  }
  const pick = (mine: Map<string, number>, mineN: number, other: Map<string, number>, otherN: number) => {
    const rate = (n: number, of: number) => (of ? n / of : 0)
    const kept = [...mine].filter(([term, n]) => n >= minReviews && rate(n, mineN) > rate(other.get(term) ?? 0, otherN))
    const bigrams = kept.filter(([term]) => term.includes(' '))
    return kept
      .filter(([term, n]) => term.includes(' ') || !bigrams.some(([b, bn]) => bn >= n && b.split(' ').includes(term)))
      .sort((a, b) => b[1] - a[1] || Number(b[0].includes(' ')) - Number(a[0].includes(' ')) || a[0].localeCompare(b[0]))
      .slice(0, keep)
      .map(([term, n]) => ({ term, reviews: n }))
  }
  return { complaints: pick(low, lows, high, highs), praise: pick(high, highs, low, lows) }
}

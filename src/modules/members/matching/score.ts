import { addressSimilarity, dateAgreement, digits, editDistance, jaroWinkler, nameSimilarity, plain } from './compare.js'

/** A person as the detector sees them; missing fields are no evidence either way. */
export interface PersonRecord {
  id: string
  givenName: string | null
  familyName: string | null
  /** YYYY-MM-DD. */
  birthDate: string | null
  addressLine: string | null
  city: string | null
  postcode: string | null
  phone: string | null
  email: string | null
  /** A national or tax id where the data has one (Febrl's soc_sec_id); a strong identifier. */
  nationalId?: string | null
}

export interface PairScore {
  /** 0..1: how sure the detector is that the two are one person. */
  score: number
  /** Why, in a few words each, strongest evidence first. */
  reasons: string[]
}

/** At this score or above the detector calls two records the same person. */
export const sameThreshold = 0.5

// Evidence weights, Fellegi–Sunter style: the log-odds each agreement or disagreement adds.
// Missing values add nothing. Tuned on Febrl, checked without its national id (docs/identity.md).
const prior = -5

interface Evidence {
  weight: number
  reason: string
}

function names(a: PersonRecord, b: PersonRecord): Evidence[] {
  const [ag, af, bg, bf] = [plain(a.givenName), plain(a.familyName), plain(b.givenName), plain(b.familyName)]
  const given = nameSimilarity(ag, bg)
  const family = nameSimilarity(af, bf)
  // Given and family name typed into each other's boxes.
  const swappedGiven = nameSimilarity(ag, bf)
  const swappedFamily = nameSimilarity(af, bg)
  if (swappedGiven >= 0.9 && swappedFamily >= 0.9 && !(given >= 0.9 && family >= 0.9)) return [{ weight: 6, reason: 'given and family names swapped' }]
  const out: Evidence[] = []
  const level = (similarity: number, x: string, y: string, kind: string, strong: number) => {
    if (Number.isNaN(similarity)) return
    if (similarity >= 0.99) out.push({ weight: strong, reason: `same ${kind} name` })
    else if (similarity >= 0.9) out.push({ weight: strong - 1, reason: `${kind} names alike (${x}/${y})` })
    else if (similarity >= 0.8) out.push({ weight: 1, reason: `${kind} names somewhat alike (${x}/${y})` })
    else out.push({ weight: -3, reason: `different ${kind} names` })
  }
  level(given, ag, bg, 'given', 3)
  level(family, af, bf, 'family', 4)
  return out
}

function birthDates(a: PersonRecord, b: PersonRecord): Evidence[] {
  const [x, y] = [digits(a.birthDate), digits(b.birthDate)]
  if (x.length !== 8 || y.length !== 8) return []
  switch (dateAgreement(x, y)) {
    case 'same':
      return [{ weight: 4.5, reason: 'same birth date' }]
    case 'swapped':
      return [{ weight: 3, reason: 'birth date with day and month swapped' }]
    case 'typo':
      return [{ weight: 2.5, reason: 'birth date one digit apart' }]
    default:
      return [{ weight: -3, reason: 'different birth dates' }]
  }
}

function places(a: PersonRecord, b: PersonRecord): Evidence[] {
  const out: Evidence[] = []
  if (a.addressLine && b.addressLine) {
    const similarity = addressSimilarity(a.addressLine, b.addressLine)
    if (similarity >= 0.95) out.push({ weight: 3, reason: 'same address' })
    else if (similarity >= 0.85) out.push({ weight: 2, reason: 'addresses alike' })
    else if (similarity >= 0.7) out.push({ weight: 0.5, reason: 'addresses somewhat alike' })
    else out.push({ weight: -1.5, reason: 'different addresses' })
  }
  const [cx, cy] = [plain(a.city), plain(b.city)]
  if (cx && cy) out.push(jaroWinkler(cx, cy) >= 0.9 ? { weight: 1, reason: 'same town' } : { weight: -0.5, reason: 'different towns' })
  const [px, py] = [(a.postcode ?? '').replace(/\s/g, '').toUpperCase(), (b.postcode ?? '').replace(/\s/g, '').toUpperCase()]
  if (px && py) {
    if (px === py) out.push({ weight: 2.5, reason: 'same postcode' })
    else if (editDistance(px, py) <= 1) out.push({ weight: 1, reason: 'postcodes one character apart' })
    else out.push({ weight: -1.5, reason: 'different postcodes' })
  }
  return out
}

function contacts(a: PersonRecord, b: PersonRecord): Evidence[] {
  const out: Evidence[] = []
  const [px, py] = [digits(a.phone).slice(-9), digits(b.phone).slice(-9)]
  if (px.length >= 6 && py.length >= 6) {
    if (px === py) out.push({ weight: 5, reason: 'same phone' })
    else if (editDistance(px, py) <= 1) out.push({ weight: 2.5, reason: 'phones one digit apart' })
    else out.push({ weight: -1, reason: 'different phones' })
  }
  const [ex, ey] = [(a.email ?? '').trim().toLowerCase(), (b.email ?? '').trim().toLowerCase()]
  if (ex && ey) {
    if (ex === ey) out.push({ weight: 6, reason: 'same email' })
    else if (jaroWinkler(ex.split('@')[0], ey.split('@')[0]) >= 0.92) out.push({ weight: 1.5, reason: 'emails alike' })
    else out.push({ weight: -0.5, reason: 'different emails' })
  }
  const [nx, ny] = [digits(a.nationalId), digits(b.nationalId)]
  if (nx.length >= 5 && ny.length >= 5) {
    if (nx === ny) out.push({ weight: 6, reason: 'same national id' })
    else if (editDistance(nx, ny) <= 1) out.push({ weight: 3, reason: 'national ids one digit apart' })
    else out.push({ weight: -4, reason: 'different national ids' })
  }
  return out
}

/** How likely two records are one person, and why. */
export function scorePair(a: PersonRecord, b: PersonRecord): PairScore {
  const evidence = [...names(a, b), ...birthDates(a, b), ...places(a, b), ...contacts(a, b)]
  const logOdds = prior + evidence.reduce((sum, e) => sum + e.weight, 0)
  const score = 1 / (1 + Math.exp(-logOdds))
  return { score: Math.round(score * 1000) / 1000, reasons: evidence.sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight)).map((e) => e.reason) }
}

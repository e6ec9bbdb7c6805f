import {
  type AddressForm,
  addressForm,
  compareAddresses,
  compareDates,
  compareNames,
  digits,
  jaroWinkler,
  type NameForm,
  type NameLevel,
  nameForm,
  oneSlipApart,
  simplify,
} from './compare.js'
import { apart, atHome, movedName, nationalId, type PersonWeights, places as placeWeights, prior, swappedNames } from './weights.js'

/** A person as the detector sees them; a missing field is no evidence either way. */
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
  /** A national or tax id where the data has one (Febrl's soc_sec_id): a strong identifier. */
  nationalId?: string | null
}

export interface PairScore {
  /** 0..1: how sure the detector is that the two records are one person. */
  score: number
  /** Why, a few words each, strongest evidence first. */
  reasons: string[]
}

/** At this score or above the detector calls two records one person (even odds). */
export const sameThreshold = 0.5

/** A record cleaned once for comparing: names split, dates as YYYYMMDD, codes without spaces. */
export interface PreparedPerson {
  given: NameForm | null
  family: NameForm | null
  born: string
  address: AddressForm | null
  city: string
  postcode: string
  phone: string
  email: { whole: string; local: string } | null
  nationalId: string
}

function emailForm(text: string | null): PreparedPerson['email'] {
  const raw = (text ?? '').trim().toLowerCase()
  const at = raw.lastIndexOf('@')
  if (at < 1) return null
  let [local, domain] = [raw.slice(0, at).split('+')[0], raw.slice(at + 1)]
  // Gmail ignores dots and reads googlemail as gmail: a match key only, never what we store.
  if (domain === 'gmail.com' || domain === 'googlemail.com') [local, domain] = [local.replace(/\./g, ''), 'gmail.com']
  return { whole: `${local}@${domain}`, local }
}

export function prepare(p: PersonRecord): PreparedPerson {
  const born = digits(p.birthDate)
  const phone = digits(p.phone)
  return {
    given: nameForm(p.givenName),
    family: nameForm(p.familyName),
    born: born.length === 8 ? born : '',
    address: addressForm(p.addressLine),
    city: simplify(p.city).replace(/ /g, ''),
    postcode: simplify(p.postcode).replace(/ /g, ''),
    // The last nine digits: the same number with or without its country code or trunk zero.
    phone: phone.length >= 7 ? phone.slice(-9) : '',
    email: emailForm(p.email),
    nationalId: simplify(p.nationalId).replace(/ /g, ''),
  }
}

interface Evidence {
  weight: number
  reason: string
}

function nameReason(kind: string, level: NameLevel, x: NameForm, y: NameForm): string {
  switch (level) {
    case 'same':
      return `same ${kind} name`
    case 'alike':
      return `${kind} names alike (${x.whole}/${y.whole})`
    case 'initial':
      return `${kind} initial fits (${x.whole}/${y.whole})`
    case 'close':
      return `${kind} names somewhat alike (${x.whole}/${y.whole})`
    default:
      return `different ${kind} names`
  }
}

interface NameEvidence extends Evidence {
  agrees: boolean
  /** The two names, as staff would want to see them: "jon/john", or "smith" when the same. */
  shown: string
}

function compareName(x: NameForm | null, y: NameForm | null, kind: 'given' | 'family', w: PersonWeights): NameEvidence | null {
  if (!x || !y) return null
  const level = compareNames(x, y)
  const shown = level === 'same' ? x.whole : `${x.whole}/${y.whole}`
  return { weight: w[kind][level], reason: nameReason(kind, level, x, y), agrees: level === 'same' || level === 'alike', shown }
}

const weightOf = (e: Evidence | null) => e?.weight ?? 0

function names(a: PreparedPerson, b: PreparedPerson, w: PersonWeights, out: Evidence[]) {
  const given = compareName(a.given, b.given, 'given', w)
  const family = compareName(a.family, b.family, 'family', w)
  const keep = (e: NameEvidence | null) => e && out.push({ weight: e.weight, reason: e.reason })
  // Names typed into each other's boxes, or one name moved to the other box, count only when
  // that explains the records better than reading them as typed, slip included.
  if (!(given?.agrees && family?.agrees)) {
    const [x, y] = [compareName(a.given, b.family, 'given', w), compareName(a.family, b.given, 'family', w)]
    const swapped = x?.agrees && y?.agrees
    const crossed = weightOf(x) + weightOf(y) + (swapped ? swappedNames : movedName)
    if ((x?.agrees || y?.agrees) && crossed > weightOf(given) + weightOf(family)) {
      if (swapped) out.push({ weight: crossed, reason: 'given and family names swapped' })
      else {
        const [moved, other] = x?.agrees ? [x, y] : [y as NameEvidence, x]
        out.push({ weight: crossed - weightOf(other), reason: `a name in the other name box (${moved.shown})` })
        if (other) out.push({ weight: other.weight, reason: 'different names' })
      }
      return
    }
  }
  keep(given)
  keep(family)
}

function birthDates(a: PreparedPerson, b: PreparedPerson, w: PersonWeights, out: Evidence[]) {
  if (!a.born || !b.born) return
  const level = compareDates(a.born, b.born)
  const reason = {
    same: 'same birth date',
    swapped: 'birth date with day and month swapped',
    typo: 'birth date one digit apart',
    birthday: 'same birthday, different year',
    different: 'different birth dates',
  }[level]
  out.push({ weight: w.birthDate[level], reason })
}

type AddressLevel = keyof typeof placeWeights.address | 'unknown'

function addressLevel(a: AddressForm | null, b: AddressForm | null): AddressLevel {
  if (!a || !b) return 'unknown'
  const { words, numbers } = compareAddresses(a, b)
  if (Number.isNaN(words)) return 'unknown'
  if (words >= 0.9) return numbers === 'agree' ? 'same' : numbers === 'conflict' ? 'street' : 'alike'
  if (words >= 0.75) return numbers === 'agree' ? 'alike' : numbers === 'conflict' ? 'different' : 'somewhat'
  return 'different'
}

/** Evidence of where the two live; says whether they share a street address. */
function places(a: PreparedPerson, b: PreparedPerson, out: Evidence[]): boolean {
  const address = addressLevel(a.address, b.address)
  if (address !== 'unknown') {
    const reason = {
      same: 'same address',
      alike: 'addresses alike',
      somewhat: 'addresses somewhat alike',
      street: 'same street, different number',
      different: 'different addresses',
    }[address]
    out.push({ weight: placeWeights.address[address], reason })
  }
  let postcode: 'same' | 'near' | 'different' | 'unknown' = 'unknown'
  if (a.postcode && b.postcode) {
    postcode = a.postcode === b.postcode ? 'same' : oneSlipApart(a.postcode, b.postcode) ? 'near' : 'different'
    const table = address === 'same' || address === 'alike' ? placeWeights.postcodeBesideAddress : placeWeights.postcode
    const reason = { same: 'same postcode', near: 'postcodes one key apart', different: 'different postcodes' }[postcode]
    out.push({ weight: table[postcode], reason })
  }
  if (a.city && b.city && (postcode === 'unknown' || postcode === 'near')) {
    const table = postcode === 'near' ? placeWeights.cityBesideNearPostcode : placeWeights.city
    out.push(jaroWinkler(a.city, b.city) >= 0.9 ? { weight: table.same, reason: 'same town' } : { weight: table.different, reason: 'different towns' })
  }
  return address === 'same' || address === 'alike'
}

function contacts(a: PreparedPerson, b: PreparedPerson, w: PersonWeights, out: Evidence[]) {
  if (a.phone && b.phone) {
    const table = w.phone
    if (a.phone === b.phone) out.push({ weight: table.same, reason: 'same phone' })
    else if (oneSlipApart(a.phone, b.phone)) out.push({ weight: table.typo, reason: 'phones one digit apart' })
    else out.push({ weight: table.different, reason: 'different phones' })
  }
  if (a.email && b.email) {
    const table = w.email
    const [x, y] = [a.email, b.email]
    // A short local part ("info", "sales") is shared by too many people to say much on another domain.
    const distinctive = x.local.length >= 6
    if (x.whole === y.whole) out.push({ weight: table.same, reason: 'same email' })
    else if (distinctive && x.local === y.local) out.push({ weight: table.sameLocal, reason: 'same email name, other domain' })
    else if (x.local.length >= 8 && oneSlipApart(x.whole, y.whole)) out.push({ weight: table.alike, reason: 'emails one key apart' })
    else out.push({ weight: table.different, reason: 'different emails' })
  }
  if (a.nationalId && b.nationalId) {
    if (a.nationalId === b.nationalId) out.push({ weight: nationalId.same, reason: 'same national id' })
    else if (oneSlipApart(a.nationalId, b.nationalId)) out.push({ weight: nationalId.typo, reason: 'national ids one key apart' })
    else out.push({ weight: nationalId.different, reason: 'different national ids' })
  }
}

export interface ScoreOptions {
  /**
   * How much different people at one address are family in the data being matched, 0..1 (see
   * `atHome` in weights.ts). Member data has households: 1 unless the data shows otherwise.
   */
  households?: number
}

/** Log-odds that two prepared records are one person, and the evidence behind it. */
export function weighPrepared(a: PreparedPerson, b: PreparedPerson, households = 1): { logOdds: number; evidence: Evidence[] } {
  const evidence: Evidence[] = []
  // Where they live first: at one street address the other fields weigh differently.
  const w = places(a, b, evidence) ? atHome(households) : apart
  names(a, b, w, evidence)
  birthDates(a, b, w, evidence)
  contacts(a, b, w, evidence)
  let logOdds = prior
  for (const e of evidence) logOdds += e.weight
  return { logOdds, evidence }
}

/**
 * For reading households off the data: whether two records at one street address are plainly
 * two people (given name and birth date both different, not typos), or undefined when the two
 * do not share an address or lack those fields.
 */
export function twoPeopleAtOneAddress(a: PreparedPerson, b: PreparedPerson): boolean | undefined {
  if (!a.given || !b.given || !a.born || !b.born || (a.postcode && b.postcode && a.postcode !== b.postcode)) return undefined
  if (addressLevel(a.address, b.address) !== 'same') return undefined
  return compareNames(a.given, b.given) === 'different' && compareDates(a.born, b.born) === 'different'
}

/** The logistic of the log-odds, to three places (what staff see and what is stored). */
export const scoreOf = (logOdds: number) => Math.round(1000 / (1 + Math.exp(-logOdds))) / 1000

/** Strongest evidence first, whichever way it points. */
export const reasonsOf = (evidence: Evidence[]) => evidence.sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight)).map((e) => e.reason)

/** How likely two records are one person (0..1), and why. */
export function scorePair(a: PersonRecord, b: PersonRecord, { households = 1 }: ScoreOptions = {}): PairScore {
  const { logOdds, evidence } = weighPrepared(prepare(a), prepare(b), households)
  return { score: scoreOf(logOdds), reasons: reasonsOf(evidence) }
}

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

/**
 * Fellegi–Sunter weights: each way two values can compare adds ln(m/u) to the log-odds, where m is
 * how often one person's two records compare that way and u how often two different people's do
 * (different people who met in a block, so sharing a surname or a postcode is not rare among them).
 * The figures are judgement, not fitted to one file: typos in a few percent of fields, people who
 * move, change phone and keep several emails.
 */
const ln = (m: number, u: number) => Math.log(m / u)
const weights = {
  given: { same: ln(0.85, 0.04), alike: ln(0.08, 0.008), initial: ln(0.5, 0.08), close: 0, different: ln(0.04, 0.9) },
  family: { same: ln(0.85, 0.015), alike: ln(0.08, 0.004), initial: ln(0.5, 0.08), close: ln(0.03, 0.02), different: ln(0.04, 0.95) },
  /** Both names typed into each other's boxes: rare, and rarer still between different people. */
  swapped: ln(0.02, 0.05),
  /** One name in the other's box and the other name different: two slips at once. */
  moved: ln(0.002, 0.04),
  birthDate: { same: ln(0.85, 0.01), swapped: ln(0.02, 0.001), typo: ln(0.07, 0.006), birthday: ln(0.02, 0.01), different: ln(0.06, 0.97) },
  address: { same: ln(0.75, 0.03), alike: ln(0.12, 0.02), somewhat: 0, street: 0, different: ln(0.2, 0.92) },
  // Postcode and town say little once the street address agrees, and a town little once the postcode does.
  postcodeBesideAddress: { same: ln(0.9, 0.5), near: 0, different: ln(0.07, 0.48) },
  postcode: { same: ln(0.8, 0.04), near: ln(0.06, 0.01), different: ln(0.14, 0.95) },
  city: { same: ln(0.85, 0.08), different: ln(0.15, 0.92) },
  cityBesideNearPostcode: { same: ln(0.5, 0.2), different: ln(0.5, 0.8) },
  phone: { same: ln(0.6, 0.003), typo: ln(0.04, 0.004), different: ln(0.35, 0.99) },
  email: { same: ln(0.6, 0.002), sameLocal: ln(0.08, 0.004), alike: ln(0.05, 0.005), different: ln(0.35, 0.99) },
  // People living together share a landline and sometimes an email: beside the same address
  // these tell one person from a household much less.
  phoneAtHome: { same: ln(0.7, 0.25), typo: ln(0.03, 0.01), different: ln(0.3, 0.75) },
  emailAtHome: { same: ln(0.6, 0.08), sameLocal: ln(0.08, 0.01), alike: ln(0.05, 0.01), different: ln(0.4, 0.92) },
  nationalId: { same: ln(0.9, 0.0001), typo: ln(0.06, 0.001), different: ln(0.03, 0.99) },
}
/** Log-odds that two records sharing a blocking key are one person, before looking closer. */
const prior = -5

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
  const at = (text ?? '').trim().toLowerCase().lastIndexOf('@')
  if (at < 1) return null
  const raw = (text ?? '').trim().toLowerCase()
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

function compareName(x: NameForm | null, y: NameForm | null, kind: 'given' | 'family'): Evidence | null {
  if (!x || !y) return null
  const level = compareNames(x, y)
  return { weight: weights[kind][level], reason: nameReason(kind, level, x, y) }
}

const agrees = (e: Evidence | null) => e !== null && e.weight > 1
const weightOf = (e: Evidence | null) => e?.weight ?? 0

function names(a: PreparedPerson, b: PreparedPerson, out: Evidence[]) {
  const [given, family] = [compareName(a.given, b.given, 'given'), compareName(a.family, b.family, 'family')]
  const straight = weightOf(given) + weightOf(family)
  // Names typed into each other's boxes, or one name moved to the other box, count only when
  // that explains the records much better than reading them as typed.
  if (!(agrees(given) && agrees(family))) {
    const crossed = [compareName(a.given, b.family, 'given'), compareName(a.family, b.given, 'family')]
    const swapped = agrees(crossed[0]) && agrees(crossed[1])
    const penalty = swapped ? weights.swapped : weights.moved
    const total = weightOf(crossed[0]) + weightOf(crossed[1]) + penalty
    if ((agrees(crossed[0]) || agrees(crossed[1])) && total > straight) {
      if (swapped) out.push({ weight: total, reason: 'given and family names swapped' })
      else
        for (const e of crossed) {
          if (e) out.push(agrees(e) ? { weight: e.weight + penalty, reason: `name in the other box: ${e.reason}` } : { ...e, reason: 'different names' })
        }
      return
    }
  }
  if (given) out.push(given)
  if (family) out.push(family)
}

function birthDates(a: PreparedPerson, b: PreparedPerson, out: Evidence[]) {
  if (!a.born || !b.born) return
  const level = compareDates(a.born, b.born)
  const reason = {
    same: 'same birth date',
    swapped: 'birth date with day and month swapped',
    typo: 'birth date one digit apart',
    birthday: 'same birthday, different year',
    different: 'different birth dates',
  }[level]
  out.push({ weight: weights.birthDate[level], reason })
}

type AddressLevel = keyof typeof weights.address | 'unknown'

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
    out.push({ weight: weights.address[address], reason })
  }
  let postcode: 'same' | 'near' | 'different' | 'unknown' = 'unknown'
  if (a.postcode && b.postcode) {
    postcode = a.postcode === b.postcode ? 'same' : oneSlipApart(a.postcode, b.postcode) ? 'near' : 'different'
    const table = address === 'same' || address === 'alike' ? weights.postcodeBesideAddress : weights.postcode
    const reason = { same: 'same postcode', near: 'postcodes one key apart', different: 'different postcodes' }[postcode]
    out.push({ weight: table[postcode], reason })
  }
  if (a.city && b.city && (postcode === 'unknown' || postcode === 'near')) {
    const table = postcode === 'near' ? weights.cityBesideNearPostcode : weights.city
    out.push(jaroWinkler(a.city, b.city) >= 0.9 ? { weight: table.same, reason: 'same town' } : { weight: table.different, reason: 'different towns' })
  }
  return address === 'same' || address === 'alike'
}

function contacts(a: PreparedPerson, b: PreparedPerson, atHome: boolean, out: Evidence[]) {
  if (a.phone && b.phone) {
    const table = atHome ? weights.phoneAtHome : weights.phone
    if (a.phone === b.phone) out.push({ weight: table.same, reason: 'same phone' })
    else if (oneSlipApart(a.phone, b.phone)) out.push({ weight: table.typo, reason: 'phones one digit apart' })
    else out.push({ weight: table.different, reason: 'different phones' })
  }
  if (a.email && b.email) {
    const table = atHome ? weights.emailAtHome : weights.email
    const [x, y] = [a.email, b.email]
    // A short local part ("info", "sales") is shared by too many people to say much on another domain.
    const distinctive = x.local.length >= 6
    if (x.whole === y.whole) out.push({ weight: table.same, reason: 'same email' })
    else if (distinctive && x.local === y.local) out.push({ weight: table.sameLocal, reason: 'same email name, other domain' })
    else if (distinctive && (oneSlipApart(x.whole, y.whole) || jaroWinkler(x.local, y.local) >= 0.95)) out.push({ weight: table.alike, reason: 'emails alike' })
    else out.push({ weight: table.different, reason: 'different emails' })
  }
  if (a.nationalId && b.nationalId) {
    if (a.nationalId === b.nationalId) out.push({ weight: weights.nationalId.same, reason: 'same national id' })
    else if (oneSlipApart(a.nationalId, b.nationalId)) out.push({ weight: weights.nationalId.typo, reason: 'national ids one key apart' })
    else out.push({ weight: weights.nationalId.different, reason: 'different national ids' })
  }
}

/** Log-odds that two prepared records are one person, and the evidence behind it. */
export function weighPrepared(a: PreparedPerson, b: PreparedPerson): { logOdds: number; evidence: Evidence[] } {
  const evidence: Evidence[] = []
  names(a, b, evidence)
  birthDates(a, b, evidence)
  contacts(a, b, places(a, b, evidence), evidence)
  let logOdds = prior
  for (const e of evidence) logOdds += e.weight
  return { logOdds, evidence }
}

/** The logistic of the log-odds, to three places (what staff see and what is stored). */
export const scoreOf = (logOdds: number) => Math.round(1000 / (1 + Math.exp(-logOdds))) / 1000

/** Strongest evidence first, whichever way it points. */
export const reasonsOf = (evidence: Evidence[]) => evidence.sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight)).map((e) => e.reason)

/** How likely two records are one person (0..1), and why. */
export function scorePair(a: PersonRecord, b: PersonRecord): PairScore {
  const { logOdds, evidence } = weighPrepared(prepare(a), prepare(b))
  return { score: scoreOf(logOdds), reasons: reasonsOf(evidence) }
}

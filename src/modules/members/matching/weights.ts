/**
 * Fellegi–Sunter weights. Each way two values can compare adds ln(m/u) to the log-odds that the
 * records are one person: m is how often one person's two records compare that way, u how often
 * two different people's do. Here "different people" means people who met in a block, so sharing
 * a surname or a postcode is not rare among them. The figures are judgement, not fitted to one
 * file: typos in a few percent of fields; people who move, change phone and keep several emails;
 * couples, parents and children, and now and then twins, under one roof.
 */
const ln = (m: number, u: number) => Math.log(m / u)

/** Log-odds that two records sharing a blocking key are one person, before looking closer. */
export const prior = -5

/**
 * Fields that tell one person from another, as [m, u between people living apart, u between two
 * people of one household]. Members of a household share a surname, a landline, sometimes an
 * email: at one street address those say little, while a given name or a birth date in common
 * (a junior, a twin) is rarer there than across town.
 */
const personFields = {
  given: { same: [0.85, 0.04, 0.02], alike: [0.08, 0.008, 0.01], initial: [0.5, 0.08, 0.1], close: [0.03, 0.03, 0.03], different: [0.02, 0.9, 0.95] },
  family: { same: [0.85, 0.015, 0.7], alike: [0.08, 0.004, 0.03], initial: [0.5, 0.08, 0.5], close: [0.03, 0.02, 0.02], different: [0.05, 0.95, 0.25] },
  birthDate: {
    same: [0.85, 0.01, 0.02],
    swapped: [0.02, 0.001, 0.002],
    typo: [0.07, 0.006, 0.005],
    birthday: [0.02, 0.01, 0.01],
    different: [0.03, 0.97, 0.97],
  },
  phone: { same: [0.6, 0.003, 0.25], typo: [0.04, 0.004, 0.01], different: [0.35, 0.99, 0.75] },
  email: { same: [0.6, 0.002, 0.08], sameLocal: [0.05, 0.004, 0.02], alike: [0.02, 0.005, 0.02], different: [0.33, 0.99, 0.88] },
} satisfies Record<string, Record<string, [number, number, number]>>

type Field = keyof typeof personFields
export type PersonWeights = { [F in Field]: Record<keyof (typeof personFields)[F], number> }

const weighFields = (u: (apart: number, household: number) => number) =>
  Object.fromEntries(
    Object.entries(personFields).map(([field, levels]) => [
      field,
      Object.fromEntries(Object.entries(levels).map(([level, [m, apart, household]]) => [level, ln(m, u(apart, household))])),
    ]),
  ) as PersonWeights

/** Between records at different addresses. */
export const apart = weighFields((u) => u)

const atHomeCache = new Map<number, PersonWeights>()

/**
 * Between two records at one street address, in data where `households` (0..1) is how much
 * different people at one address are family rather than strangers: 1 for a retailer's members,
 * 0 for a list in which nobody shares a home.
 */
export function atHome(households: number): PersonWeights {
  const h = Math.round(Math.min(1, Math.max(0, households)) * 100) / 100
  let weights = atHomeCache.get(h)
  if (!weights) {
    weights = weighFields((apart, household) => (1 - h) * apart + h * household)
    atHomeCache.set(h, weights)
  }
  return weights
}

/** Both names typed into each other's boxes: rare, and rarer still between different people. */
export const swappedNames = ln(0.02, 0.05)
/** One name in the other's box and the other name different: two slips at once. */
export const movedName = ln(0.002, 0.04)

export const places = {
  address: { same: ln(0.75, 0.03), alike: ln(0.12, 0.02), somewhat: 0, street: 0, different: ln(0.2, 0.92) },
  // A postcode says little once the street address agrees, and a town little once the postcode does.
  postcodeBesideAddress: { same: ln(0.9, 0.5), near: 0, different: ln(0.07, 0.48) },
  postcode: { same: ln(0.8, 0.04), near: ln(0.06, 0.01), different: ln(0.14, 0.95) },
  city: { same: ln(0.85, 0.08), different: ln(0.15, 0.92) },
  cityBesideNearPostcode: { same: ln(0.5, 0.2), different: ln(0.5, 0.8) },
}

/** A national id is one person's; a different one is most often a typo or a placeholder. */
export const nationalId = { same: ln(0.9, 0.0001), typo: ln(0.06, 0.001), different: ln(0.03, 0.99) }

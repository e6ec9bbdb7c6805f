import { describe, expect, it } from 'vitest'
import { sharedDataForTest } from '../../../../test/support/shared-data.js'
import { evaluateFebrl, findDuplicates, type PersonRecord, readFebrl, sameThreshold, scorePair } from './index.js'

const person = (fields: Partial<PersonRecord>): PersonRecord => ({
  id: 'x',
  givenName: null,
  familyName: null,
  birthDate: null,
  addressLine: null,
  city: null,
  postcode: null,
  phone: null,
  email: null,
  ...fields,
})

const jon = person({
  id: 'jon',
  givenName: 'Jon',
  familyName: 'Smith',
  birthDate: '1980-01-02',
  addressLine: '12 High Street',
  city: 'Leeds',
  postcode: 'LS1 4AB',
  phone: '07700 900123',
  email: 'jon.smith@example.com',
})

describe('telling whether two member records are one person', () => {
  it('sees a second sign-up with another spelling, a swapped birth date and a new email as the same person, and says why', () => {
    const john = person({
      givenName: 'John',
      familyName: 'Smith',
      birthDate: '1980-02-01',
      addressLine: '12 High St',
      city: 'Leeds',
      postcode: 'LS14AB',
      email: 'js1980@example.org',
    })
    const { score, reasons } = scorePair(jon, john)
    expect(score).toBeGreaterThanOrEqual(sameThreshold)
    expect(reasons).toEqual(
      expect.arrayContaining([
        'given names alike (jon/john)',
        'same family name',
        'birth date with day and month swapped',
        'same address',
        'same postcode',
        'different emails',
      ]),
    )
  })

  it('keeps apart two people who only share a family name and a town', () => {
    const jane = person({ givenName: 'Jane', familyName: 'Smith', birthDate: '1952-07-30', addressLine: '4 Mill Lane', city: 'Leeds', postcode: 'LS6 2QT' })
    const { score, reasons } = scorePair(jon, jane)
    expect(score).toBeLessThan(0.05)
    expect(reasons).toEqual(expect.arrayContaining(['different given names', 'different birth dates', 'different addresses']))
  })

  it('counts a missing field as no evidence, and a conflicting one against', () => {
    const sparse = person({ givenName: 'Jon', familyName: 'Smith', birthDate: '1980-01-02' })
    const missing = scorePair(jon, sparse)
    expect(missing.score).toBeGreaterThanOrEqual(sameThreshold)
    expect(missing.reasons).toEqual(['same birth date', 'same family name', 'same given name'])
    expect(scorePair(jon, { ...sparse, phone: '07911 123456', email: 'someone@example.net' }).score).toBeLessThan(missing.score)
  })

  it('matches names typed into each other’s boxes', () => {
    const swapped = person({ givenName: 'Smith', familyName: 'Jon', birthDate: '1980-01-02', postcode: 'LS1 4AB' })
    const { score, reasons } = scorePair(jon, swapped)
    expect(score).toBeGreaterThanOrEqual(sameThreshold)
    expect(reasons[0]).toBe('given and family names swapped')
  })

  it('forgives an initial, a nickname, a mistyped year and the same phone written with its country code', () => {
    const initial = scorePair(jon, person({ givenName: 'J.', familyName: 'Smith', birthDate: '1980-01-02', postcode: 'LS1 4AB' }))
    expect(initial.reasons).toContain('given initial fits (jon/j)')
    expect(initial.score).toBeGreaterThanOrEqual(sameThreshold)

    const william = person({ givenName: 'William', familyName: 'Brown', birthDate: '1975-03-04' })
    const bill = scorePair(william, person({ givenName: 'Bill', familyName: 'Brown', birthDate: '1957-03-04', phone: '+44 7700 900456' }))
    expect(bill.reasons).toEqual(expect.arrayContaining(['given names alike (william/bill)', 'birth date one digit apart']))
    expect(bill.score).toBeGreaterThanOrEqual(sameThreshold)

    const abroad = scorePair(jon, person({ givenName: 'Jon', familyName: 'Smith', phone: '+44 (0)7700 900123' }))
    expect(abroad.reasons).toContain('same phone')
  })

  it('reads Gmail addresses the way Gmail does, only for matching', () => {
    const a = person({ givenName: 'Ann', familyName: 'Lee', email: 'Ann.Lee@gmail.com' })
    const { reasons } = scorePair(a, person({ givenName: 'Ann', familyName: 'Lee', email: 'annlee+shop@googlemail.com ' }))
    expect(reasons).toContain('same email')
  })

  it('does not take members of one household for one person', () => {
    const home = { familyName: 'Smith', addressLine: '12 High Street', city: 'Leeds', postcode: 'LS1 4AB' }
    const partner = person({ ...home, givenName: 'Mary', birthDate: '1982-06-11', phone: '07700 900123', email: 'mary.smith@example.com' })
    const twin = person({ ...home, givenName: 'Adam', birthDate: '1980-01-02', email: 'adam.smith@example.com' })
    const son = person({ ...home, givenName: 'Jon', birthDate: '2008-05-17', email: 'jonny@example.com' })
    for (const relative of [partner, twin, son]) expect(scorePair(jon, relative).score).toBeLessThan(sameThreshold)
  })

  it('still finds a member who moved and took a double surname, by birth date and phone', () => {
    const moved = person({
      givenName: 'Jon',
      familyName: 'Smith-Jones',
      birthDate: '1980-01-02',
      addressLine: '3 Park Road',
      city: 'York',
      postcode: 'YO1 7HH',
      phone: '+447700900123',
    })
    const { score, reasons } = scorePair(jon, moved)
    expect(score).toBeGreaterThanOrEqual(sameThreshold)
    expect(reasons).toEqual(expect.arrayContaining(['family names alike (smith/smithjones)', 'same phone', 'different addresses']))
  })
})

describe('finding the duplicates in a list of members', () => {
  it('returns only the likely pairs, most likely first', () => {
    const list = [
      jon,
      person({ id: 'jonathan', givenName: 'Jonathan', familyName: 'Smith', birthDate: '1980-01-02', postcode: 'LS1 4AB', phone: '07700 900123' }),
      person({ id: 'jon-again', givenName: 'Jon', familyName: 'Smith', birthDate: '1980-01-02', email: 'jon.smith@example.com' }),
      person({ id: 'ava', givenName: 'Ava', familyName: 'Khan', birthDate: '1990-05-05', postcode: 'LS1 4AB' }),
    ]
    const found = findDuplicates(list)
    expect(found.map((p) => [p.a, p.b].sort().join('+')).sort()).toEqual(['jon+jon-again', 'jon+jonathan', 'jon-again+jonathan'])
    expect(found.map((p) => p.score)).toEqual([...found.map((p) => p.score)].sort((x, y) => y - x))
    expect(found.every((p) => p.reasons.length > 0)).toBe(true)
  })

  it('finds a duplicate hidden among hundreds of namesakes born the same day, and one mistyped at the first letter', () => {
    const namesakes = Array.from({ length: 300 }, (_, i) =>
      person({
        id: `smith-${i}`,
        givenName: `Given${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
        familyName: 'Smith',
        birthDate: '1980-01-01',
      }),
    )
    const list = [
      ...namesakes,
      person({ id: 'kim', givenName: 'Kimberley', familyName: 'Smith', birthDate: '1980-01-01', postcode: 'LS2 9JT', phone: '07700 900999' }),
      person({ id: 'kim-again', givenName: 'Kimberly', familyName: 'Smith', birthDate: '1980-01-01', postcode: 'LS2 9JT', phone: '07700 900999' }),
      person({ id: 'olga', givenName: 'Olga', familyName: 'Kowalska', birthDate: '1970-03-04', addressLine: '7 Quarry Hill', postcode: 'LS2 7EW' }),
      person({ id: 'olga-typo', givenName: 'Olga', familyName: 'Cowalska', birthDate: '1970-03-04', addressLine: '7 Quarry Hill' }),
    ]
    const pairs = findDuplicates(list).map((p) => [p.a, p.b].sort().join('+'))
    expect(pairs).toEqual(expect.arrayContaining(['kim+kim-again', 'olga+olga-typo']))
    expect(pairs.filter((p) => p.includes('kim') && p.includes('smith-'))).toEqual([])
  })

  it('compares only the pairs it is asked to, as when linking two files', () => {
    const left = [jon]
    const right = [person({ id: 'right-jon', givenName: 'Jon', familyName: 'Smith', birthDate: '1980-01-02' })]
    const twin = person({ id: 'left-jon', givenName: 'Jon', familyName: 'Smith', birthDate: '1980-01-02' })
    const fromLeft = new Set(['jon', 'left-jon'])
    const found = findDuplicates([...left, twin, ...right], { only: (a, b) => fromLeft.has(a.id) !== fromLeft.has(b.id) })
    expect(found.map((p) => [p.a, p.b].sort().join('+')).sort()).toEqual(['jon+right-jon', 'left-jon+right-jon'])
  })
})

// The Febrl files live beside the project (../shared/data), not in it: skip (loudly) when absent.
const febrlFiles = Object.fromEntries(['dataset1', 'dataset3', 'dataset4a', 'dataset4b'].map((name) => [name, sharedDataForTest(`febrl/${name}.csv`)]))
const febrl = (name: string) => febrlFiles[name] as string

describe.skipIf(Object.values(febrlFiles).some((file) => !file))('on the Febrl record-linkage benchmark', () => {
  it('reads the files into member records', async () => {
    const records = await readFebrl(febrl('dataset1'))
    expect(records).toHaveLength(1000)
    expect(records.find((r) => r.id === 'rec-223-org')).toEqual({
      id: 'rec-223-org',
      givenName: null,
      familyName: 'waller',
      birthDate: '1908-12-09',
      addressLine: '6 tullaroop street willaroo',
      city: 'st james',
      postcode: '4011',
      phone: null,
      email: null,
      nationalId: '6988048',
    })
  })

  it.each(['dataset1', 'dataset3'])('reaches F1 ≥ 0.95 on %s, and stays close without the national id', async (name) => {
    const withId = await evaluateFebrl(febrl(name))
    expect(withId.f1).toBeGreaterThanOrEqual(0.95)
    expect(withId.precision).toBeGreaterThanOrEqual(0.99)
    const withoutId = await evaluateFebrl(febrl(name), { withNationalId: false })
    expect(withoutId.f1).toBeGreaterThanOrEqual(0.93)
  })

  it('links dataset4a with dataset4b', async () => {
    const linked = await evaluateFebrl(febrl('dataset4a'), { linkTo: febrl('dataset4b') })
    expect(linked.truePairs).toBe(5000)
    expect(linked.f1).toBeGreaterThanOrEqual(0.95)
  })
})

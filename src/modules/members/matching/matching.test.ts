import { describe, expect, it } from 'vitest'
import { sharedData } from '../../../../test/support/shared-data.js'
import { evaluateFebrl } from './febrl.js'
import { findDuplicates } from './find.js'
import { type PersonRecord, sameThreshold, scorePair } from './score.js'

const person = (over: Partial<PersonRecord>): PersonRecord => ({
  id: 'x',
  givenName: null,
  familyName: null,
  birthDate: null,
  addressLine: null,
  city: null,
  postcode: null,
  phone: null,
  email: null,
  ...over,
})

describe('telling whether two members are one person', () => {
  const jon = person({
    id: 'a',
    givenName: 'Jon',
    familyName: 'Smith',
    birthDate: '1980-01-02',
    addressLine: '12 High Street',
    city: 'Leeds',
    postcode: 'LS1 4AB',
    email: 'jon.smith@example.com',
  })

  it('sees a second sign-up with a nickname, a swapped birth date and a new email as the same person, and says why', () => {
    const john = person({
      id: 'b',
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
    expect(reasons).toEqual(expect.arrayContaining(['same family name', 'birth date with day and month swapped', 'same postcode']))
  })

  it('keeps apart two people who share a family name and a town', () => {
    const jane = person({
      id: 'c',
      givenName: 'Jane',
      familyName: 'Smith',
      birthDate: '1952-07-30',
      addressLine: '4 Mill Lane',
      city: 'Leeds',
      postcode: 'LS6 2QT',
      email: 'jane@example.net',
    })
    expect(scorePair(jon, jane).score).toBeLessThan(0.1)
  })

  it('counts a missing field as no evidence rather than a disagreement', () => {
    const sparse = person({ id: 'd', givenName: 'Jon', familyName: 'Smith', birthDate: '1980-01-02' })
    const sparseScore = scorePair(jon, sparse).score
    expect(sparseScore).toBeGreaterThanOrEqual(sameThreshold)
    expect(scorePair(jon, { ...sparse, postcode: 'EH1 1AA' }).score).toBeLessThan(sparseScore)
  })

  it('matches names typed into each other’s boxes', () => {
    const swapped = person({ id: 'e', givenName: 'Smith', familyName: 'Jon', birthDate: '1980-01-02', postcode: 'LS1 4AB' })
    expect(scorePair(jon, swapped).reasons[0]).toBe('given and family names swapped')
    expect(scorePair(jon, swapped).score).toBeGreaterThanOrEqual(sameThreshold)
  })

  it('finds the duplicates in a list through blocking, most likely first', () => {
    const list = [
      jon,
      person({ id: 'b', givenName: 'Jonathan', familyName: 'Smith', birthDate: '1980-01-02', postcode: 'LS1 4AB', phone: '07700 900123' }),
      person({ id: 'z', givenName: 'Ava', familyName: 'Khan', birthDate: '1990-05-05' }),
    ]
    const found = findDuplicates(list)
    expect(found.map((p) => [p.a, p.b])).toEqual([['a', 'b']])
  })
})

describe.skipIf(!sharedData('febrl/dataset1.csv'))('on the Febrl benchmark files', () => {
  it.each(['dataset1', 'dataset3'])('reaches F1 ≥ 0.95 on %s, and stays useful without the national id', async (name) => {
    const file = sharedData(`febrl/${name}.csv`) as string
    const withId = await evaluateFebrl(file)
    expect(withId.f1).toBeGreaterThanOrEqual(0.95)
    expect(withId.precision).toBeGreaterThanOrEqual(0.99)
    const withoutId = await evaluateFebrl(file, { withNationalId: false })
    expect(withoutId.f1).toBeGreaterThanOrEqual(0.93)
  })
})

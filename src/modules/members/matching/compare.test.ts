import { describe, expect, it } from 'vitest'
import { addressForm, compareAddresses, compareDates, compareNames, jaroWinkler, nameForm, oneSlipApart, soundex } from './compare.js'

const name = (text: string) => nameForm(text) as NameFormOf
type NameFormOf = NonNullable<ReturnType<typeof nameForm>>
const address = (text: string) => addressForm(text) as NonNullable<ReturnType<typeof addressForm>>

describe('field comparators', () => {
  it('gives the published Jaro–Winkler figures', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3)
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 3)
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3)
    expect(jaroWinkler('abc', 'xyz')).toBe(0)
  })

  it('gives the usual Soundex codes', () => {
    expect(['robert', 'rupert', 'ashcraft', 'tymczak', 'pfister'].map(soundex)).toEqual(['r163', 'r163', 'a261', 't522', 'p236'])
  })

  it('sees one slip of a key, and no more', () => {
    expect(['4750', '20', '26', '1234'].map((x, i) => oneSlipApart(x, ['4570', '202', '62', '1243'][i]))).toEqual([true, true, true, true])
    expect(oneSlipApart('abc', 'axd')).toBe(false)
    expect(oneSlipApart('abc', 'abc')).toBe(false)
  })

  it('grades names: typos, nicknames, double names, initials', () => {
    expect(compareNames(name('Zoë'), name('zoe'))).toBe('same')
    expect(compareNames(name('Katherine'), name('Kathrine'))).toBe('alike')
    expect(compareNames(name('Peggy'), name('Margaret'))).toBe('alike')
    expect(compareNames(name('Anne-Marie'), name('Marie'))).toBe('alike')
    expect(compareNames(name('J.'), name('John'))).toBe('initial')
    expect(compareNames(name('K'), name('John'))).toBe('different')
    expect(compareNames(name('Oliver'), name('Amelia'))).toBe('different')
  })

  it('grades birth dates', () => {
    expect(compareDates('19800102', '19800201')).toBe('swapped')
    expect(compareDates('19800102', '19810102')).toBe('typo')
    expect(compareDates('19800102', '19080102')).toBe('typo')
    expect(compareDates('19800102', '19750102')).toBe('birthday')
    expect(compareDates('19800102', '19641123')).toBe('different')
  })

  it('reads addresses written differently as one', () => {
    expect(compareAddresses(address('12 High St'), address('12, high street'))).toEqual({ words: 1, numbers: 'agree' })
    expect(compareAddresses(address('Flat 3, 12 Pridham Street'), address('12 pridhamstreet')).words).toBeGreaterThan(0.75)
    expect(compareAddresses(address('26 Lance Hill Avenue'), address('62 Lance Hill Avenue')).numbers).toBe('slip')
    expect(compareAddresses(address('6 Farrer Place'), address('24 Farrer Place')).numbers).toBe('conflict')
    expect(compareAddresses(address('4 Mill Lane'), address('12 High Street')).words).toBeLessThan(0.5)
  })
})

import { describe, expect, it } from 'vitest'
import { matchFilters, normaliseTerm, type WordFilter } from './words.js'

const filters = (...terms: string[]): WordFilter[] => terms.map((term) => ({ term, normalised: normaliseTerm(term), action: 'hold' }))
const trips = (text: string, list: WordFilter[]) => matchFilters(text, list).map((f) => f.term)

describe('word filters', () => {
  const list = filters('shit', 'cunt', 'ass', 'scam*', 'go to hell')

  it('match whole words only, so Scunthorpe, classic and assistant pass', () => {
    expect(trips('Bought this in Scunthorpe, a classic, the assistant was lovely', list)).toEqual([])
    expect(trips('What an ass', list)).toEqual(['ass'])
  })

  it('see through case, accents, look-alike digits and symbols', () => {
    expect(trips('SHIT service', list)).toEqual(['shit'])
    expect(trips('shït service', list)).toEqual(['shit'])
    expect(trips('sh1t service', list)).toEqual(['shit'])
    expect(trips('$h!t service', list)).toEqual(['shit'])
    expect(trips('what an a$$', list)).toEqual(['ass'])
  })

  it('see through letters spaced or dotted out and stretched', () => {
    expect(trips('s h i t', list)).toEqual(['shit'])
    expect(trips('s.h.i.t!', list)).toEqual(['shit'])
    expect(trips('shiiiiit', list)).toEqual(['shit'])
    expect(trips('as we said', list)).toEqual([]) // "as" is not a stretched "ass"
  })

  it('match phrases word by word, and a starred term as the start of words', () => {
    expect(trips('Just go to hell', list)).toEqual(['go to hell'])
    expect(trips('total scammers', list)).toEqual(['scam*'])
    expect(trips('a scam', list)).toEqual(['scam*'])
  })

  it('store terms folded the same way', () => {
    expect(normaliseTerm('  Shït ')).toBe('shit')
    expect(normaliseTerm('Go  To Hell')).toBe('go to hell')
    expect(normaliseTerm('scam*')).toBe('scam*')
    expect(normaliseTerm('!!!')).toBe('iii')
    expect(normaliseTerm('...')).toBe('')
  })
})

import { describe, expect, it } from 'vitest'
import { reviewThemes, termsOf } from './themes.js'

const kettle = [
  { rating: 1, title: 'Lid broke after a week', body: 'The lid broke and it leaks everywhere.' },
  { rating: 2, title: 'Leaks', body: 'Leaks from the spout, and the lid broke too.' },
  { rating: 2, title: 'Noisy', body: 'Very noisy when boiling; the handle gets hot.' },
  { rating: 3, title: 'Fine', body: 'It leaks a little but boils fast.' },
  { rating: 5, title: 'Boils fast', body: 'Boils fast and looks lovely on the counter.' },
  { rating: 4, title: 'Lovely', body: 'Lovely design, boils fast, quiet enough.' },
  { rating: 5, title: 'Sturdy', body: 'Sturdy **steel** kettle and looks lovely. See https://example.com/kettle-review' },
]

describe('review themes', () => {
  it('finds what low ratings complain of and high ratings praise, from terms in at least two reviews', () => {
    expect(reviewThemes(kettle, 'Steel kettle')).toEqual({
      // "lid" and "broke" alone say less than "lid broke", in as many reviews; "noisy" is in one review only.
      complaints: [
        { term: 'lid broke', reviews: 2 },
        { term: 'leaks', reviews: 2 },
      ],
      praise: [
        { term: 'lovely', reviews: 3 },
        { term: 'boils fast', reviews: 2 },
        { term: 'looks lovely', reviews: 2 },
      ],
    })
  })

  it('leaves out stop words, the product’s own name, links, numbers and terms as common in praise as in complaints', () => {
    const themes = reviewThemes(
      [
        { rating: 1, title: 'Cold', body: 'Arrived cold and the 2 straps frayed. Wool scarf.' },
        { rating: 2, title: 'Frayed', body: 'The straps frayed, it arrived late: wool scarf' },
        { rating: 5, title: 'Warm', body: 'So warm, it arrived early. Wool scarf.' },
        { rating: 4, title: 'Warm and soft', body: 'Warm, soft, arrived quickly' },
      ],
      'Wool scarf',
    )
    const complaints = themes.complaints.map((t) => t.term)
    expect(complaints).toEqual(['straps frayed'])
    expect(themes.praise.map((t) => t.term)).toEqual(['warm'])
    expect(complaints).not.toContain('arrived') // in every review, low or high
  })

  it('keeps negations with the word after them and never joins words across punctuation', () => {
    expect([...termsOf('Not warm. Never again, sadly')]).toEqual(['not warm', 'sadly'])
    expect(termsOf('lid, broke')).not.toContain('lid broke')
    expect(reviewThemes([{ rating: 1, title: 'Bad', body: 'bad' }])).toEqual({ complaints: [], praise: [] })
  })
})

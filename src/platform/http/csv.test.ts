import { describe, expect, it } from 'vitest'
import { csvDay, csvMoney, csvText } from './csv.js'

describe('the one CSV convention', () => {
  it('escapes what a spreadsheet would run, and leaves phone numbers and amounts as they are', () => {
    const cells = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '@SUM(1)', '-2+3', '+447700900122', '-12.5', 'Ada']
    const csv = csvText(
      cells.map((cell) => ({ cell })),
      [['cell', (r) => r.cell]],
    )
    expect(csv.trim().split('\n').slice(1)).toEqual([
      `"'=HYPERLINK(""http://x"",""y"")"`,
      `"'+cmd|' /C calc'!A0"`,
      `"'@SUM(1)"`,
      `"'-2+3"`,
      '+447700900122',
      '-12.5',
      'Ada',
    ])
  })

  it('refuses a header that is not snake_case, and writes money in units and days as ISO dates', () => {
    expect(() => csvText([{}], [['salesMinor', () => 1]])).toThrow('snake_case: salesMinor')
    expect(csvMoney(1250, 'GBP')).toBe(12.5)
    expect(csvMoney(1250, 'JPY')).toBe(1250)
    expect(csvDay('2026-11-01T23:30:00Z')).toBe('2026-11-01')
  })
})

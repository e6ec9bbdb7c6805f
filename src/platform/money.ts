/** Money is integer minor units plus an ISO 4217 currency (DESIGN.md); these read it for people. */

const digits = new Map<string, number>()

/** Decimal places of a currency's minor unit: 2 for GBP, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  let n = digits.get(currency)
  if (n === undefined) {
    n = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
    digits.set(currency, n)
  }
  return n
}

/** Minor units as a number of whole units and decimals (250 GBP → 2.5), as spreadsheets read money. */
export const majorUnits = (minor: number, currency: string) => minor / 10 ** minorDigits(currency)

/** The symbol people write before an amount: £, €, $. */
export const currencySymbol = (currency: string) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).formatToParts(0).find((p) => p.type === 'currency')?.value ??
  currency

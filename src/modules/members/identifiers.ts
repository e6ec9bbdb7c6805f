import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max'
import type { identifierKinds } from './schema.js'

export type IdentifierKind = (typeof identifierKinds)[number]

/**
 * The stored form of an identifier: emails trimmed and lower-cased, phones in E.164 (read with the
 * retailer's default region when written without a country code), everything else trimmed.
 * Returns undefined when the value cannot be that kind of identifier.
 */
export function normaliseIdentifier(kind: IdentifierKind, raw: string, defaultRegion: string): string | undefined {
  const value = raw.trim()
  if (!value) return undefined
  switch (kind) {
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? value.toLowerCase() : undefined
    case 'phone': {
      const phone = parsePhoneNumberFromString(value, defaultRegion as CountryCode)
      // Possible, not "valid": numbering plans change faster than metadata, and a till must not refuse a real number.
      return phone?.isPossible() ? phone.number : undefined
    }
    case 'card':
    case 'loyalty_id':
      return value.replace(/[\s-]/g, '').toUpperCase()
    default:
      return value
  }
}

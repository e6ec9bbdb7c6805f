import { Type } from 'typebox'
import { Text } from '../../../platform/http/schemas.js'
import { feedbackEvents } from '../api-schemas.js'

/** Who may call the advisor's routes, by the part of the shop they serve. */
export const staff = { access: { staff: 'associate' as const } }
export const member = { access: { member: true as const } }
export const tills = { access: { staff: 'associate' as const, scopes: ['suggestions:read'] } }
export const admins = { access: { staff: 'admin' as const } }

/** Dates leave as ISO text, as the response schemas say. */
export const iso = <T extends Record<string, unknown>>(row: T) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])) as {
    [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K]
  }

export const Feedback = Type.Object(
  {
    sku: Text({ minLength: 1, maxLength: 100 }),
    event: Type.Enum(feedbackEvents, { description: 'dismissed: rests 30 days; not_for_me: never again, and lowers the taste for it' }),
  },
  { additionalProperties: false },
)

import { rateKeyOf } from '../../../platform/auth/caller.js'

/** Who may call the member home's and the members' routes. */
export const me = { access: { member: true as const } }
export const staff = { access: { staff: 'associate' as const, scopes: ['members:read'] } }
export const staffWrite = { access: { staff: 'associate' as const, scopes: ['members:write'] } }
// Codes are six digits: tries are counted per code, and this caps how fast any one login can ask.
export const codeRate = { rateLimit: { max: 10, timeWindow: '1 minute', hook: 'preHandler' as const, keyGenerator: rateKeyOf } }

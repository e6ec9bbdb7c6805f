/** Logins (staff and members), sessions and channel API keys. */

export { accountsAuditNames } from './audit-names.js'
export { checkErasureCode, NoVerifiedAddress, sendErasureCode } from './erasure-code.js'
export { accountsPrivacy, confirmPassword, loginsOf, PasswordNotConfirmed } from './privacy.js'
export { routes } from './routes/index.js'
export { createApiKey, createUser, principalResolvers, publicUser, type Role, staffNames, startSession, type User } from './service.js'

/** Who may call the rewards routes, by the part of the programme they serve. */
export const me = { access: { member: true as const } }
export const staffOrTill = { access: { staff: 'associate' as const, scopes: ['rewards:redeem', 'members:read'] } }
export const till = { access: { staff: 'associate' as const, scopes: ['rewards:redeem'] } }
export const managers = { access: { staff: 'manager' as const } }
export const admins = { access: { staff: 'admin' as const } }

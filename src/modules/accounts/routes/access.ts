/** Who may call the accounts routes. */
export const anyone = { access: { public: true as const } }
export const anyLogin = { access: { staff: 'associate' as const, member: true as const } }
export const admins = { access: { staff: 'admin' as const } }

import { Type } from 'typebox'

/** The demo retailer's logins that exist on this database (none once it was never seeded or was reset). */
export const DemoLogins = Type.Object(
  {
    logins: Type.Array(
      Type.Object({
        role: Type.String(),
        email: Type.String(),
      }),
    ),
  },
  { $id: 'DemoLogins' },
)

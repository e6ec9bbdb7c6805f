import { Type } from 'typebox'
import { Described, FreeJson, Id, Money, Nullable, Text, Timestamp } from '../../platform/http/schemas.js'

// The catalogue's shapes: what its routes take and answer. The web app imports these types (a leaf:
// typebox and platform/http/schemas.ts only).

export const Channel = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,49}$' }),
    name: Text({ minLength: 1, maxLength: 100 }),
    unknownIdentifier: Type.Union([Type.Literal('enrol'), Type.Literal('park')]),
  },
  { $id: 'Channel' },
)
export const ProductInput = Type.Object(
  {
    sku: Text({ minLength: 1, maxLength: 100 }),
    name: Text({ minLength: 1, maxLength: 300 }),
    category: Type.Array(Text({ maxLength: 100 }), { maxItems: 10, description: 'Category path, broadest first' }),
    brand: Type.Optional(Nullable(Text({ maxLength: 100 }))),
    priceMinor: Type.Optional(Nullable(Money())),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    attributes: Type.Optional(FreeJson()),
    inStock: Type.Optional(Type.Boolean({ description: 'Can be bought now; left out, the stock stays as last set (new products: in stock)' })),
  },
  { additionalProperties: false },
)
export const Product = Type.Object(
  { ...ProductInput.properties, backInStockAt: Type.Optional(Nullable(Described(Timestamp, 'When it last came back in stock'))) },
  { $id: 'Product' },
)
export const StoreInput = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,50}$' }),
    name: Text({ minLength: 1, maxLength: 200 }),
    region: Type.Optional(Nullable(Text({ maxLength: 100 }))),
    timezone: Type.Optional(Text({ maxLength: 60 })),
    currency: Type.Optional(
      Nullable(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, where the store sells in another currency than REGULARS_CURRENCY' })),
    ),
  },
  { additionalProperties: false },
)

export const Store = Type.Object(
  {
    id: Id,
    code: Type.String(),
    name: Type.String(),
    region: Nullable(Type.String()),
    timezone: Type.String(),
    currency: Nullable(Type.String({ description: 'null: the retailer’s (REGULARS_CURRENCY)' })),
  },
  { $id: 'Store' },
)

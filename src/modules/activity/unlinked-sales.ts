import { sql } from 'drizzle-orm'
import { type Principal, senderOf } from '../../platform/auth/principal.js'
import { queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError } from '../../platform/http/problems.js'
import { storeForWrite } from './store-scope.js'

export interface UnlinkedSale {
  store?: string
  channel: string
  occurredAt: string
  source: string
  idempotencyKey: string
  /** After discounts, in minor units; negative for a return. */
  total: number
  currency?: string
}

export class UnknownStoreOrChannel extends DomainError {
  constructor(field: string, value: string) {
    super(
      '/problems/unknown-store-or-channel',
      422,
      'The sales were not recorded',
      { errors: [{ field, message: `${value} is not known` }] },
      `${field}: ${value} is not known.`,
    )
  }
}

/**
 * Sales a till made without a member, for the capture rate: one statement for the batch; a
 * (source, key) this sender sent before records nothing again. A store-held caller records at its
 * own stores only (a store it does not hold is 403).
 */
export async function recordUnlinkedSales(deps: Pick<Deps, 'db' | 'clock' | 'config'>, caller: Principal | undefined, sales: UnlinkedSale[]) {
  const stores = await Promise.all(sales.map((s) => storeForWrite(deps.db, caller, s.store)))
  const known = await queryRows<{ kind: string; code: string; id: string | null }>(
    deps.db,
    sql`select 'store' as kind, code, id::text from stores union all select 'channel', code, null from channels`,
  )
  const storeId = new Map(known.filter((k) => k.kind === 'store').map((k) => [k.code, k.id]))
  const channelKnown = new Set(known.filter((k) => k.kind === 'channel').map((k) => k.code))
  sales.forEach((s, i) => {
    if (stores[i] && !storeId.has(stores[i] as string)) throw new UnknownStoreOrChannel(`/items/${i}/store`, stores[i] as string)
    if (!channelKnown.has(s.channel)) throw new UnknownStoreOrChannel(`/items/${i}/channel`, s.channel)
  })
  const sentBy = caller ? senderOf(caller) : 'server'
  const now = deps.clock.now()
  const [{ recorded }] = await queryRows<{ recorded: number }>(
    deps.db,
    sql`with added as (
          insert into unlinked_sales (sent_by, source, idempotency_key, store_id, channel, occurred_at, recorded_at, total_minor, currency)
          select ${sentBy}, s.source, s.key, s.store_id, s.channel, s.occurred_at, ${now}, s.total, s.currency
            from unnest(${sql.param(sales.map((s) => s.source))}::text[], ${sql.param(sales.map((s) => s.idempotencyKey))}::text[],
                        ${sql.param(stores.map((code) => (code ? (storeId.get(code) ?? null) : null)))}::uuid[], ${sql.param(sales.map((s) => s.channel))}::text[],
                        ${sql.param(sales.map((s) => s.occurredAt))}::timestamptz[], ${sql.param(sales.map((s) => s.total))}::bigint[],
                        ${sql.param(sales.map((s) => s.currency ?? deps.config.currency))}::text[])
                 as s(source, key, store_id, channel, occurred_at, total, currency)
          on conflict (sent_by, source, idempotency_key) do nothing
          returning 1)
        select count(*)::int as recorded from added`,
  )
  return { recorded, replayed: sales.length - recorded }
}

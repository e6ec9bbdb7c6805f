import { sql } from 'drizzle-orm'
import type { StaffPrincipal } from '../../platform/auth/caller.js'
import type { StaffRole } from '../../platform/auth/principal.js'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { newId } from '../../platform/ids.js'
import { createApiKey, createUser, type User } from '../accounts/index.js'
import {
  type ActivityLineRow,
  type ActivityRow,
  ensureDefaultChannels,
  recordResolvedActivities,
  setStock,
  upsertProducts,
  upsertStores,
} from '../activity/index.js'
import { trainSuggestions } from '../advisor/index.js'
import { refreshInsights } from '../insights/index.js'
import { enrolMembers, recordSignupConsents } from '../members/index.js'
import { runRewardJobs } from '../rewards/index.js'
import { seedCommunity } from './community.js'
import { generateRetailer } from './generator.js'
import { demoTeam, earnOnHistory, seedParticipation, seedProgramme, seedReviews } from './programme.js'
import { seedSocial } from './social.js'
import { seedStoreLife } from './store-life.js'

export const demoPassword = 'regulars-demo'
export const demoLogins = [
  { role: 'admin', email: 'admin@demo.regulars.dev', password: demoPassword },
  { role: 'manager', email: 'manager@demo.regulars.dev', password: demoPassword },
  { role: 'associate', email: 'associate@demo.regulars.dev', password: demoPassword },
  { role: 'member', email: 'member@demo.regulars.dev', password: demoPassword },
] as const

/** The value seen most often (the first in order among equals), as the demo picks its showcase member and product. */
function mostOften(values: string[]): string | undefined {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts].sort(([a, n], [b, m]) => m - n || (a < b ? -1 : 1))[0]?.[0]
}

/** True when nobody has been set up yet: the first start of a fresh database. */
export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from users`)
  return row.n === 0
}

/** The demo logins still enabled on this database: none where the demo was never seeded, or its logins were disabled. */
export async function demoLoginsPresent(db: Db): Promise<{ role: string; email: string }[]> {
  const emails: string[] = demoLogins.map((l) => l.email)
  const rows = await queryRows<{ email: string }>(db, sql`select email from users where email = any(${sql.param(emails)}::text[]) and disabled_at is null`)
  const present = new Set(rows.map((r) => r.email))
  return demoLogins.filter((l) => present.has(l.email)).map(({ role, email }) => ({ role, email }))
}

/** Empties every table of ours (migrations stay), for `regulars demo`. */
export async function resetDatabase(db: Db) {
  const tables = await queryRows<{ tablename: string }>(db, sql`select tablename from pg_tables where schemaname = 'public'`)
  if (tables.length) await db.execute(sql.raw(`truncate ${tables.map((t) => `"${t.tablename}"`).join(', ')} cascade`))
}

export interface DemoOptions {
  members?: number
  months?: number
  seed?: number
  onProgress?: (done: number, total: number) => void
}

const minor = (units: number) => Math.round(units)

/**
 * The demo retailer: five stores, staff of every role, a few hundred members with a year of
 * cross-channel history from the project's own deterministic generator, ending today.
 */
export async function seedDemo(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'wiring'>, options: DemoOptions = {}) {
  const { db, clock, config } = deps
  const now = clock.now()
  const retailer = generateRetailer({ members: options.members ?? 300, months: options.months ?? 12, seed: options.seed ?? 2026, endDate: now })
  await ensureDefaultChannels(db)
  const stores = await upsertStores(
    db,
    retailer.stores.map((s) => ({ id: newId(), code: s.code, name: s.name, region: s.region, timezone: s.timezone })),
  )
  const storeId = new Map(stores.map((s) => [s.code, s.id]))
  // The catalogue is as old as the history, but for three new arrivals this week (for the associates' outreach).
  const newArrivals = new Set(
    retailer.products
      .map((p) => p.sku)
      .sort()
      .slice(-3),
  )
  await upsertProducts(
    db,
    retailer.products.map((p) => ({
      sku: p.sku,
      name: p.name,
      category: p.category.split(' > '),
      brand: p.brand,
      priceMinor: p.priceMinor,
      currency: p.currency,
      addedAt: newArrivals.has(p.sku) ? new Date(now.getTime() - 5 * 86_400_000) : retailer.start,
    })),
  )

  const memberId = new Map(retailer.members.map((m) => [m.id, newId()]))
  await enrolMembers(
    db,
    retailer.members.map((m) => ({
      member: {
        id: memberId.get(m.id) as string,
        givenName: m.givenName,
        familyName: m.familyName,
        birthDate: m.birthDate,
        email: m.email.toLowerCase(),
        phone: m.phone,
        addressLine: m.addressLine,
        postcode: m.postcode,
        city: m.city,
        homeStoreId: storeId.get(m.homeStoreCode) ?? null,
        preferredChannel: m.preferredChannel,
        joinedAt: new Date(m.joinedAt),
        joinedChannel: m.joinedChannel,
      },
      identifiers: [
        { kind: 'loyalty_id', value: m.loyaltyId },
        { kind: 'card', value: m.cardNumber },
        { kind: 'email', value: m.email },
        { kind: 'phone', value: m.phone },
      ],
    })),
    { defaultRegion: config.defaultRegion, at: now },
  )

  const team = demoTeam(
    retailer.stores.map((s) => s.code),
    demoLogins[2].email,
  )
  // Most members said yes to personal suggestions and news when they joined; one in five did not.
  await recordSignupConsents(
    db,
    retailer.members.flatMap((m, i) => (i % 5 === 4 ? [] : [{ memberId: memberId.get(m.id) as string, at: new Date(m.joinedAt) }])),
    ['profiling', 'marketing'],
  )
  // Purchase rows arrive grouped by member and order: fold each order's lines into one activity.
  const activities: ActivityRow[] = []
  const lines: ActivityLineRow[] = []
  let current: ActivityRow | undefined
  for (const row of retailer.rows()) {
    const member = memberId.get(row.memberId) as string
    const kind = row.quantity < 0 ? 'return' : 'purchase'
    if (!current || current.orderRef !== row.orderId || current.memberId !== member || current.kind !== kind) {
      current = {
        id: newId(),
        memberId: member,
        kind,
        channel: row.channel,
        storeId: row.store ? (storeId.get(row.store) ?? null) : null,
        occurredAt: new Date(row.occurredAt),
        recordedAt: now,
        source: 'demo',
        idempotencyKey: `${row.orderId}:${kind}`,
        orderRef: row.orderId,
        returnOf: kind === 'return' ? row.orderId : null,
        totalMinor: 0,
        currency: 'GBP',
        // The till names who served, so the associate scorecards have something to count.
        details: row.channel === 'store' && row.store ? { associate: team.servedBy(row.store, row.orderId) } : {},
      }
      activities.push(current)
    }
    const lineNo = lines.length && lines[lines.length - 1].activityId === current.id ? (lines[lines.length - 1].lineNo as number) + 1 : 1
    lines.push({
      memberId: member,
      activityId: current.id as string,
      lineNo,
      sku: row.sku,
      quantity: row.quantity,
      unitPriceMinor: row.unitPriceMinor,
      discountMinor: row.discountMinor,
    })
    current.totalMinor = (current.totalMinor ?? 0) + minor(row.quantity * row.unitPriceMinor - Math.sign(row.quantity) * row.discountMinor)
  }
  for (const visit of retailer.visits()) {
    activities.push({
      id: newId(),
      memberId: memberId.get(visit.memberId) as string,
      kind: visit.kind,
      channel: visit.channel,
      storeId: visit.store ? (storeId.get(visit.store) ?? null) : null,
      occurredAt: new Date(visit.occurredAt),
      recordedAt: now,
      source: 'demo',
      idempotencyKey: newId(),
      details: visit.sku ? { sku: visit.sku } : {},
    })
  }
  await recordResolvedActivities(db, activities, lines)
  // Not every shopper shows a card: for about one store sale in three by a member, another was made
  // without one (the same basket, a few minutes later), so the member capture rate reads true.
  await db.execute(
    sql`insert into unlinked_sales (sent_by, source, idempotency_key, store_id, channel, occurred_at, recorded_at, total_minor, currency)
        select 'server', 'demo-till', a.id::text, a.store_id, a.channel, a.occurred_at + interval '7 minutes', a.recorded_at, a.total_minor, a.currency
          from activities a
         where a.kind = 'purchase' and a.channel = 'store' and a.source = 'demo' and get_byte(decode(md5(a.id::text), 'hex'), 0) % 3 = 0`,
  )

  // The demo member login belongs to the member with the richest history, so the home page has a story.
  const richest = mostOften(activities.filter((a) => a.kind === 'purchase').map((a) => a.memberId))
  const firstStore = stores[0]?.id
  const staff: { email: string; displayName: string; role: 'admin' | 'manager' | 'associate'; storeIds: string[] }[] = [
    { email: demoLogins[0].email, displayName: 'Ada Admin', role: 'admin' as const, storeIds: [] },
    { email: demoLogins[1].email, displayName: 'Morgan Manager', role: 'manager' as const, storeIds: firstStore ? [firstStore] : [] },
    { email: demoLogins[2].email, displayName: 'Sam Associate', role: 'associate' as const, storeIds: firstStore ? [firstStore] : [] },
  ]
  for (const associate of team.associates) {
    if (associate.email !== demoLogins[2].email) {
      staff.push({ email: associate.email, displayName: associate.displayName, role: 'associate', storeIds: [storeId.get(associate.store) as string] })
    }
  }
  const created: User[] = []
  for (const user of staff) created.push(await createUser(deps, { ...user, password: demoPassword, skipStrengthCheck: true }))
  // Who the demo acts as where staff would: the admin sets up the programme, the associate keeps a list.
  const asStaff = (email: string): StaffPrincipal => {
    const user = created.find((u) => u.email === email) as User
    return {
      kind: 'staff',
      userId: user.id,
      displayName: user.displayName,
      role: user.role as StaffRole,
      storeIds: user.storeIds,
      via: 'session',
      sessionId: 'demo',
      csrfSecret: '',
    }
  }
  // The relationship programme, run over the history as if it had been live all along.
  const actor = asStaff(demoLogins[0].email)
  await seedProgramme(deps, actor)
  await seedReviews(deps)
  await seedParticipation(
    deps,
    retailer.members.flatMap((m) => ((m.archetype === 'regular' || m.archetype === 'devoted') && !m.priceDriven ? [memberId.get(m.id) as string] : [])),
  )
  await earnOnHistory(deps)
  await runRewardJobs(deps, { nightly: true })
  // Refreshed as at the last five month-ends first, so the score trend has a line from the start.
  for (let k = 5; k >= 1; k--) await refreshInsights(deps, { asOf: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k + 1, 1) - 1) })
  await refreshInsights(deps)
  // The product most wished for this quarter was out of stock and came back yesterday (the outreach's "back in stock").
  const since = now.getTime() - 90 * 86_400_000
  const wished = mostOften(
    activities.filter((a) => a.kind === 'wishlist_add' && (a.occurredAt as Date).getTime() >= since).flatMap((a) => (a.details as { sku?: string }).sku ?? []),
  )
  if (wished) {
    await setStock(db, [{ sku: wished, inStock: false }], new Date(now.getTime() - 20 * 86_400_000))
    await setStock(db, [{ sku: wished, inStock: true }], new Date(now.getTime() - 86_400_000))
  }
  await trainSuggestions(deps)
  if (richest)
    await createUser(deps, {
      email: demoLogins[3].email,
      displayName: 'Demo Member',
      role: 'member',
      memberId: richest,
      password: demoPassword,
      skipStrengthCheck: true,
    })
  if (richest) await seedSocial(deps, richest, now)
  if (richest) await seedStoreLife(deps, { showcase: richest, admin: actor, associate: asStaff(demoLogins[2].email) })
  if (richest) await seedCommunity(deps, { showcase: richest, admin: actor, associate: asStaff(demoLogins[2].email) })
  const pos = await createApiKey(deps, { name: 'Demo POS', scopes: ['activity:write', 'members:read', 'rewards:redeem'] })
  return { members: retailer.members.length, activities: activities.length, lines: lines.length, posKey: pos.key }
}

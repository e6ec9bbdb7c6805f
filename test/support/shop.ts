import { upsertStores } from '../../src/modules/activity/index.js'
import { type Enrolment, enrolMembers } from '../../src/modules/members/index.js'
import { newId } from '../../src/platform/ids.js'
import { apiKeyCaller, type Caller, loginAs, type TestApp } from './testing.js'

/**
 * The little shops tests build: stores, members and the people who call the API, in a line each
 * instead of a block each.
 */

/** Stores by code and name, on London time; their ids by code. */
export async function addStores(t: TestApp, stores: { code: string; name: string; id?: string; region?: string }[]): Promise<Record<string, string>> {
  const rows = stores.map(({ code, name, id, region }) => ({ id: id ?? newId(), code, name, region: region ?? null, timezone: 'Europe/London' }))
  await upsertStores(t.deps.db, rows)
  return Object.fromEntries(rows.map((row) => [row.code, row.id]))
}

/** A member as a test writes one: any member fields (joined now unless said) and identifiers, a card the usual one. */
export type Shopper = Partial<Enrolment['member']> & { card?: string; identifiers?: Enrolment['identifiers'] }

/** Enrols the shoppers (phones read as GB); their ids, in order. */
export async function enrol(t: TestApp, shoppers: Shopper[]): Promise<string[]> {
  const at = t.deps.clock.now()
  const enrolments = shoppers.map(({ card, identifiers = [], ...member }) => ({
    member: { ...member, id: member.id ?? newId(), joinedAt: member.joinedAt ?? at },
    identifiers: [...(card ? [{ kind: 'card' as const, value: card }] : []), ...identifiers],
  }))
  await enrolMembers(t.deps.db, enrolments, { defaultRegion: 'GB', at })
  return enrolments.map((e) => e.member.id)
}

type StaffRole = 'admin' | 'manager' | 'associate'
/** Who a test calls as: a staff role (held to some stores or not), a member's own login, or an API key. */
export type CallerSpec = StaffRole | { role: StaffRole; storeIds: string[] } | { member: string } | { scopes: string[] }

/** Logs each one in (or makes its key): the callers by the names the test gives them. */
export async function callersFor<K extends string>(t: TestApp, specs: Record<K, CallerSpec>): Promise<Record<K, Caller>> {
  const callers = {} as Record<K, Caller>
  for (const [name, spec] of Object.entries(specs) as [K, CallerSpec][]) {
    if (typeof spec === 'string') callers[name] = await loginAs(t, spec)
    else if ('role' in spec) callers[name] = await loginAs(t, spec.role, { storeIds: spec.storeIds })
    else if ('member' in spec) callers[name] = await loginAs(t, 'member', { memberId: spec.member })
    else callers[name] = await apiKeyCaller(t.deps, spec.scopes)
  }
  return callers
}

/** Sends one activity as a till in store S01 does, now, with a fresh idempotency key; the body says the rest. */
export const sendActivity = (t: TestApp, caller: Caller, body: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/activities',
    headers: caller.headers,
    payload: { channel: 'store', store: 'S01', occurredAt: t.deps.clock.now().toISOString(), source: 'till', idempotencyKey: newId(), ...body },
  })

/** Adds programme rules as an admin; a rule the API refuses fails the test's set-up. */
export async function addRules(t: TestApp, admin: Caller, documents: object[]) {
  for (const document of documents) {
    const response = await t.app.inject({ method: 'POST', url: '/v1/rules', headers: admin.headers, payload: { document } })
    if (response.statusCode !== 201) throw new Error(`rule ${JSON.stringify(document)} refused: ${response.body}`)
  }
}

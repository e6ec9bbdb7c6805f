import { sql } from 'drizzle-orm'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Mailbox, testAppWithMailbox } from '../../../test/support/mailbox.js'
import { apiKeyCaller, type Caller, loginAs, type TestApp, testPassword, workStartedJob } from '../../../test/support/testing.js'
import { queryRows } from '../../platform/db/index.js'
import { newId } from '../../platform/ids.js'
import { upsertProducts, upsertStores } from '../activity/index.js'
import { refreshInsights } from '../insights/index.js'
import { enrolMembers, setConsents } from '../members/index.js'
import { ledgerProblems } from '../rewards/index.js'

/** Every text and JSON column of every table (information_schema, so a new table is scanned too), searched for what names Ada. */
async function identifyingLeft(t: TestApp, needles: string[]) {
  const columns = await queryRows<{ table_name: string; column_name: string }>(
    t.deps.db,
    sql`select c.table_name, c.column_name from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
         where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
           and (c.data_type in ('text', 'character varying', 'json', 'jsonb') or (c.data_type = 'ARRAY' and c.udt_name = '_text'))`,
  )
  const found: string[] = []
  for (const { table_name, column_name } of columns) {
    const [hit] = await queryRows<{ n: number }>(
      t.deps.db,
      sql`select count(*)::int as n from ${sql.identifier(table_name)} where ${sql.identifier(column_name)}::text ilike any(${sql.param(needles.map((n) => `%${n}%`))}::text[])`,
    )
    if (hit.n > 0) found.push(`${table_name}.${column_name}`)
  }
  return found
}

describe('privacy requests: a member with history in every module', () => {
  let t: TestApp & { mailbox: Mailbox }
  let admin: Caller
  let manager: Caller
  let associate: Caller
  let ada: Caller
  let ben: Caller
  let pos: Caller
  const ids = { ada: newId(), oldAda: newId(), ben: newId() }
  const camden = newId()
  // What names Ada, in the forms Regulars stores them (emails lower-cased, phones E.164, cards as typed).
  const identifying = [
    'Adalind',
    'Quimby',
    'adalind.q@example.test',
    'old.ada@example.test',
    '7700900123',
    'CARD99887766',
    '55443322',
    'Wisteria',
    'prefers linen',
  ]
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, who: Caller, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { ...who.headers, ...headers }, payload })

  beforeAll(async () => {
    t = await testAppWithMailbox('2026-11-02T10:00:00Z')
    const at = t.deps.clock.now()
    await upsertStores(t.deps.db, [{ id: camden, code: 'CAM', name: 'Camden', region: null, timezone: 'Europe/London' }])
    const product = (sku: string, name: string) => ({ sku, name, category: ['Coffee'], brand: 'Roastery', priceMinor: 900, currency: 'GBP', attributes: {} })
    await upsertProducts(t.deps.db, [product('BEANS', 'House beans'), product('DECAF', 'Decaf beans')])
    await enrolMembers(
      t.deps.db,
      [
        {
          member: {
            id: ids.ada,
            givenName: 'Adalind',
            familyName: 'Quimby',
            email: 'adalind.q@example.test',
            phone: '+447700900123',
            addressLine: '12 Wisteria Lane',
            homeStoreId: camden,
            joinedAt: at,
          },
          identifiers: [
            { kind: 'card', value: 'CARD99887766' },
            { kind: 'email', value: 'adalind.q@example.test' },
          ],
        },
        {
          member: { id: ids.oldAda, givenName: 'Ada', familyName: 'Quimby', email: 'old.ada@example.test', joinedAt: at },
          identifiers: [{ kind: 'card', value: '55443322' }],
        },
        { member: { id: ids.ben, givenName: 'Benedikt', familyName: 'Okafor', joinedAt: at }, identifiers: [{ kind: 'card', value: '11112222' }] },
      ],
      { defaultRegion: 'GB', at },
    )
    admin = await loginAs(t, 'admin')
    manager = await loginAs(t, 'manager')
    associate = await loginAs(t, 'associate')
    ada = await loginAs(t, 'member', { memberId: ids.ada })
    ben = await loginAs(t, 'member', { memberId: ids.ben })
    pos = await apiKeyCaller(t.deps, ['activity:write'])
    await setConsents(t.deps.db, ids.ada, { profiling: true, marketing: true }, at)
    await setConsents(t.deps.db, ids.ben, { profiling: true }, at)

    for (const document of [
      { name: 'Visits', when: { kinds: ['store_visit'] }, award: { flat: 600 }, explanation: '+{points} for dropping by' },
      { name: 'Bringing a friend', when: { kinds: ['referral_completed'] }, award: { flat: 200 }, explanation: '+{points} for bringing a friend' },
    ])
      expect((await call('POST', '/v1/rules', admin, { document })).statusCode).toBe(201)
    const { code } = (await call('GET', '/v1/me/referral', ada)).json()
    const claimed = await call('POST', '/v1/me/referral/claim', ben, { code })
    expect(claimed.statusCode, claimed.body).toBeLessThan(300)
    const activity = (key: string, card: string, kind: string, extra: object = {}) =>
      call('POST', '/v1/activities', pos, {
        kind,
        member: { kind: 'card', value: card },
        channel: 'store',
        store: 'CAM',
        occurredAt: '2026-11-01T10:00:00Z',
        source: 'till',
        idempotencyKey: key,
        ...extra,
      })
    for (const [key, card, greeting] of [
      ['v1', 'CARD99887766', 'Adalind asked for gift wrap'],
      ['v2', '55443322', 'Ada'],
      ['v3', '11112222', 'Ben'],
    ])
      expect((await activity(key, card, 'store_visit', { details: { greeting } })).statusCode).toBe(201)
    for (const [key, card] of [
      ['p1', 'CARD99887766'],
      ['p2', '11112222'],
    ])
      await activity(key, card, 'purchase', { orderRef: `O-${key}`, currency: 'GBP', lines: [{ sku: 'BEANS', quantity: 2, unitPrice: 900 }] })

    const reward = (await call('POST', '/v1/rewards', admin, { name: '£5 off', kind: 'discount_code', cost: 500 })).json()
    expect((await call('POST', '/v1/me/redemptions', ada, { rewardId: reward.id }, { 'idempotency-key': 'web-ada-0001' })).statusCode).toBe(201)
    await call('POST', `/v1/members/${ids.ada}/points/adjustments`, manager, { points: 25, reason: 'Goodwill: Adalind Quimby waited' })
    await call('POST', `/v1/members/${ids.ada}/notes`, associate, { body: 'Adalind prefers linen, call 07700 900123', tags: ['fit'] })
    await call('POST', `/v1/members/${ids.ada}/follow-ups`, associate, { title: 'Ring Adalind about linen', dueOn: '2026-11-20' })
    await call('POST', `/v1/members/${ids.ada}/conversations`, associate, { reason: 'visit', summary: 'Adalind Quimby liked the decaf', outcome: 'talked' })
    await call('POST', '/v1/me/taste/preferences', ada, { kind: 'like', subjectKind: 'text', subject: 'Quimby family blend' })
    const training = await call('POST', '/v1/advisor/train', admin)
    expect((await workStartedJob(t, training.json())).outcome).toBe('succeeded')
    await call('POST', '/v1/me/suggestions/feedback', ada, { sku: 'DECAF', event: 'clicked' })
    expect((await call('PATCH', `/v1/members/${ids.ada}`, associate, { city: 'Wisteria Hill' })).statusCode).toBe(200)
    expect((await call('POST', '/v1/members/merges', manager, { survivorId: ids.ada, mergedId: ids.oldAda })).statusCode).toBeLessThan(300)
    await refreshInsights(t.deps)
  }, 180_000) // a history in every module: some forty requests, slow on a loaded machine
  afterAll(() => t.close())

  it('gives the member everything held about them, as JSON and as a zip of CSVs, and only them', async () => {
    const mine = await call('GET', '/v1/me/data', ada)
    expect(mine.statusCode).toBe(200)
    const { memberId, tables } = mine.json()
    expect(memberId).toBe(ids.ada)
    expect(tables.members.map((m: { id: string }) => m.id).sort()).toEqual([ids.ada, ids.oldAda].sort())
    expect(tables.member_identifiers.map((i: { value: string }) => i.value)).toContain('55443322')
    expect(tables.member_notes[0].body).toContain('prefers linen')
    expect(tables.users[0]).not.toHaveProperty('password_hash')
    for (const table of [
      'activities',
      'ledger_entries',
      'redemptions',
      'conversations',
      'taste_preferences',
      'referral_codes',
      'member_merges',
      'audit_entries',
    ])
      expect({ table, rows: tables[table].length > 0 }).toEqual({ table, rows: true })
    expect(JSON.stringify(tables)).not.toContain('Benedikt')
    // The associate who talked with her is named, never by their email (a colleague's, not hers).
    const [colleague] = await queryRows<{ email: string; display_name: string }>(
      t.deps.db,
      sql`select email, display_name from users where id = ${associate.userId}`,
    )
    expect(tables.conversations[0]).toMatchObject({ associate_name: colleague.display_name })
    expect(tables.conversations[0]).not.toHaveProperty('associate_email')
    expect(JSON.stringify(tables)).not.toContain(colleague.email)

    const zip = await call('GET', '/v1/me/data?format=zip', ada)
    expect(zip.headers['content-type']).toBe('application/zip')
    const files = unzipSync(new Uint8Array(zip.rawPayload))
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['member-data.json', 'members.csv', 'activities.csv', 'ledger_entries.csv']))
    expect(strFromU8(files['members.csv'])).toContain('Adalind')
  })

  it('lets managers export a member on request, audited; associates and other members may not', async () => {
    expect((await call('GET', `/v1/members/${ids.ada}/data`, associate)).statusCode).toBe(403)
    expect((await call('GET', `/v1/members/${ids.ada}/data`, ben)).statusCode).toBe(403)
    const exported = await call('GET', `/v1/members/${ids.oldAda}/data`, manager)
    expect(exported.json().memberId).toBe(ids.ada) // the merged-away id finds the person
    const [audit] = await queryRows<{ action: string }>(
      t.deps.db,
      sql`select action from audit_entries where action = 'member.data_exported' and member_id = ${ids.ada}`,
    )
    expect(audit).toBeDefined()
  })

  it('refuses an erasure without the password and the code sent to a verified address, from an associate, or naming another member', async () => {
    expect((await call('POST', '/v1/me/erasure', ada, { password: 'not it', code: '000000' })).json().type).toBe('/problems/password-not-confirmed')
    // The password alone is not enough: no code was asked for yet.
    expect((await call('POST', '/v1/me/erasure', ada, { password: testPassword, code: '000000' })).json().type).toBe('/problems/code-expired')
    expect((await call('POST', '/v1/me/erasure', ada, { password: testPassword })).statusCode).toBe(400)
    const sent = await call('POST', '/v1/me/erasure/code', ada)
    expect(sent.statusCode).toBe(202)
    expect(sent.json()).toMatchObject({ channel: 'email', sentTo: 'a•••@example.test' }) // her verified email, partly hidden
    const code = t.mailbox.codeFor('adalind.q@example.test')
    const notIt = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    expect((await call('POST', '/v1/me/erasure', ada, { password: testPassword, code: notIt })).json()).toMatchObject({
      type: '/problems/code-wrong',
      attemptsLeft: 4,
    })
    // Ben has only a card: there is nowhere verified to send a code.
    expect((await call('POST', '/v1/me/erasure/code', ben)).json()).toMatchObject({ status: 409, type: '/problems/no-verified-contact' })
    expect((await call('POST', `/v1/members/${ids.ada}/erasure`, associate, { confirmMemberId: ids.ada, verifiedBy: 'in_person_id' })).statusCode).toBe(403)
    expect((await call('POST', `/v1/members/${ids.ada}/erasure`, ben, { confirmMemberId: ids.ada, verifiedBy: 'in_person_id' })).statusCode).toBe(403)
    const wrong = await call('POST', `/v1/members/${ids.ada}/erasure`, manager, { confirmMemberId: ids.ben, verifiedBy: 'in_person_id' })
    expect(wrong.json().type).toBe('/problems/erasure-not-confirmed')
    expect(await identifyingLeft(t, ['Adalind'])).not.toEqual([])
  })

  it('erases everything that names the member, keeps the ledger balanced and the figures true', async () => {
    const figures = () =>
      queryRows(
        t.deps.db,
        sql`select (select count(*)::int from activities) as activities, (select sum(total_minor)::int from activities) as sales,
                   (select json_object_agg(account, points) from (select account, sum(points)::int as points from ledger_postings group by account) a) as accounts,
                   (select count(*)::int from conversations) as conversations, (select count(*)::int from member_insights) as scored`,
      )
    const before = await figures()
    expect((await call('POST', '/v1/me/erasure/code', ada)).statusCode).toBe(202) // a new code; the one before stops working
    const erased = await call('POST', '/v1/me/erasure', ada, { password: testPassword, code: t.mailbox.codeFor('adalind.q@example.test') })
    expect(erased.statusCode, erased.body).toBe(200)
    expect(erased.json()).toMatchObject({ memberId: ids.ada, members: 2, alreadyErased: false })
    expect((await call('GET', '/v1/me', ada)).statusCode).toBe(401) // the login and its sessions are gone

    expect(await ledgerProblems(t.deps.db)).toEqual([])
    expect(await figures()).toEqual(before)
    await refreshInsights(t.deps) // an erased member is an anonymous id, still counted: the totals stay
    expect(await figures()).toEqual(before)
    expect(await identifyingLeft(t, identifying)).toEqual([])
    // Ben, who used her invite code, keeps his own data.
    expect(await identifyingLeft(t, ['Benedikt', '11112222'])).not.toEqual([])
    const card = (await call('GET', `/v1/members/${ids.ada}`, manager)).json()
    expect(card.member).toMatchObject({ givenName: null, email: null })
    expect(card.identifiers).toEqual([])
    expect(card.consents.every((c: { granted: boolean }) => !c.granted)).toBe(true)
    expect((await call('GET', `/v1/members/lookup?kind=card&value=CARD99887766`, manager)).statusCode).toBe(404)
    const [audit] = await queryRows<{ actor_kind: string }>(t.deps.db, sql`select actor_kind from audit_entries where action = 'member.erased'`)
    expect(audit.actor_kind).toBe('system')

    const again = await call('POST', `/v1/members/${ids.ada}/erasure`, manager, { confirmMemberId: ids.ada, verifiedBy: 'in_person_id' })
    expect(again.json()).toMatchObject({ alreadyErased: true })
  })
})

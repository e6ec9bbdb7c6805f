import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { newId } from '../../platform/ids.js'
import { enrolMembers, type IdentifierKind, identifierHolders, normaliseIdentifier } from '../members/index.js'
import { type Context, checkMeaning, checkReturns, type IngestScope } from './checks.js'
import { type ActivityInput, builtinKinds, type IngestResult, invalidInput } from './inputs.js'
import { activityKinds, activityReceipts, channels, parkedActivities, stores } from './schema.js'
import { addProducts, claimReceipts, type ProductSeen, parkActivities, receiptKey, writeActivities } from './writer.js'

interface Planned {
  index: number
  input: ActivityInput
  identifier: { kind: IdentifierKind; value: string }
  storeId: string | null
  memberId?: string
  enrolled?: boolean
  activityId: string
  parkedId?: string
  /** SHA-256 of the item as sent: the same key with another body is refused. */
  hash: string
}

/** Who history files and receipts from before keys were scoped per sender (drizzle/0014) count as. */
const serverSender = 'server'

/** JSON with keys sorted at every level, so the same activity always hashes the same. */
const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : value && typeof value === 'object'
      ? `{${Object.keys(value)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(value)
const requestHash = (input: ActivityInput) => createHash('sha256').update(canonical(input)).digest('hex')

/** Where a key reused with another body is answered: `POST /v1/activities` turns it into a 409. */
export const reusedKeyField = '/idempotencyKey'
const reusedKey = (input: ActivityInput): IngestResult => ({
  status: 'rejected',
  field: reusedKeyField,
  reason: `idempotency key "${input.idempotencyKey}" of source "${input.source}" was already used for a different activity; a retry must send the same body, a new activity a new key`,
})

/**
 * Records a batch of activities in one transaction: resolves each member by any identifier,
 * enrols or parks unknown ones as the channel says, refuses bad items with a reason, and writes
 * each activity with its `activity.recorded` event. A (source, key) seen before returns its
 * first result and changes nothing, also when two replays race (the receipt insert serialises them).
 */
export async function recordActivities(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'wiring'>,
  items: unknown[],
  scope: IngestScope = {},
): Promise<IngestResult[]> {
  const { db, clock, config } = deps
  const sentBy = scope.sentBy ?? serverSender
  const results: IngestResult[] = new Array(items.length)
  // Checking and planning need no transaction: it stays open only for the writes.
  const context = await loadContext(db)
  const planned: Planned[] = []
  const firstInBatch = new Map<string, { index: number; hash: string }>()
  items.forEach((item, index) => {
    // Every check an item can fail happens here, before the transaction: a bad item is answered on
    // its own and can never make the batch's writes fail.
    const rejection = invalidInput(item) ?? checkMeaning(item as ActivityInput, context, scope, clock.now())
    // The identifier is read once, with the retailer's region, and that reading is what is stored.
    const value = rejection ? undefined : normaliseIdentifier((item as ActivityInput).member.kind, (item as ActivityInput).member.value, config.defaultRegion)
    if (rejection || !value) {
      results[index] = { status: 'rejected', ...(rejection ?? { field: '/member/value', reason: `is not a valid ${(item as ActivityInput).member.kind}` }) }
      return
    }
    const input = item as ActivityInput
    const key = receiptKey(input.source, input.idempotencyKey)
    const hash = requestHash(input)
    const first = firstInBatch.get(key)
    if (first) {
      if (first.hash !== hash) results[index] = reusedKey(input)
      return // else answered below with the first one's result
    }
    firstInBatch.set(key, { index, hash })
    planned.push({
      index,
      input,
      identifier: { kind: input.member.kind, value },
      storeId: input.store ? (context.storeIds.get(input.store) ?? null) : null,
      activityId: newId(),
      hash,
    })
  })

  await resolveMembers(db, planned, context)
  return db.transaction(async (tx) => {
    const overReturned = await checkReturns(tx, planned)
    const acceptable = planned.filter((p) => {
      const reason = overReturned.get(p.index)
      if (reason) results[p.index] = { status: 'rejected', reason, field: '/lines' }
      return !reason
    })

    // The receipt decides who is first: a replay (or the loser of a race) inserts nothing here.
    const outcome = (p: Planned): IngestResult =>
      p.memberId
        ? { status: 'recorded', activityId: p.activityId, memberId: p.memberId, ...(p.enrolled ? { enrolled: true } : {}) }
        : { status: 'parked', parkedId: p.parkedId }
    const fresh = await claimReceipts(
      tx,
      sentBy,
      acceptable.map((p) => ({ source: p.input.source, idempotencyKey: p.input.idempotencyKey, requestHash: p.hash, result: outcome(p) })),
      clock.now(),
    )
    const toWrite = acceptable.filter((p) => fresh.has(receiptKey(p.input.source, p.input.idempotencyKey)))
    await writeEnrolments(tx, toWrite, clock.now(), config.defaultRegion)
    await writeRecorded(
      { db: tx, wiring: deps.wiring, config },
      toWrite.filter((p) => p.memberId),
      clock.now(),
    )
    await parkActivities(
      tx,
      toWrite
        .filter((p) => !p.memberId)
        .map((p) => ({ id: p.parkedId as string, identifier: p.identifier, activity: { ...p.input, activityId: p.activityId, storeId: p.storeId, sentBy } })),
      clock.now(),
    )
    for (const p of toWrite) results[p.index] = outcome(p)

    const replays = acceptable.filter((p) => !fresh.has(receiptKey(p.input.source, p.input.idempotencyKey)))
    if (replays.length) {
      const earlier = await queryRows<{ source: string; idempotency_key: string; request_hash: string | null; result: IngestResult }>(
        tx,
        sql`select r.source, r.idempotency_key, r.request_hash, r.result from ${activityReceipts} r
              join unnest(${sql.param(replays.map((p) => p.input.source))}::text[], ${sql.param(replays.map((p) => p.input.idempotencyKey))}::text[]) as asked(source, key)
                on r.sent_by in (${sentBy}, ${serverSender}) and r.source = asked.source and r.idempotency_key = asked.key
             order by r.sent_by = ${sentBy}`, // the sender's own receipt last, so it is the one kept below
      )
      const byKey = new Map(earlier.map((r) => [receiptKey(r.source, r.idempotency_key), r]))
      for (const p of replays) {
        const receipt = byKey.get(receiptKey(p.input.source, p.input.idempotencyKey))
        // Receipts from before bodies were hashed have none: they replay as they always did.
        const sameBody = !receipt?.request_hash || receipt.request_hash === p.hash
        results[p.index] = sameBody ? { ...(receipt?.result as IngestResult), replay: true } : reusedKey(p.input)
      }
    }
    items.forEach((item, index) => {
      if (results[index]) return
      const input = item as ActivityInput
      const first = results[firstInBatch.get(receiptKey(input.source, input.idempotencyKey))?.index as number]
      results[index] = first.status === 'rejected' ? first : { ...first, replay: true }
    })
    return results
  })
}

/** Kinds, channels and stores in one round trip: every batch needs them. */
async function loadContext(db: Db): Promise<Context> {
  const [row] = await queryRows<{ kinds: string[]; channels: [string, 'enrol' | 'park'][]; stores: [string, string][] }>(
    db,
    sql`select (select coalesce(json_agg(code), '[]') from ${activityKinds}) as kinds,
               (select coalesce(json_agg(json_build_array(code, unknown_identifier)), '[]') from ${channels}) as channels,
               (select coalesce(json_agg(json_build_array(code, id)), '[]') from ${stores}) as stores`,
  )
  return { kinds: new Set([...builtinKinds, ...row.kinds]), channels: new Map(row.channels), storeIds: new Map(row.stores) }
}

/** Finds each item's member; unknown identifiers get a new member (enrol channels) or stay parked. */
async function resolveMembers(db: Db, planned: Planned[], context: Context) {
  const holders = await identifierHolders(
    db,
    planned.map((p) => p.identifier),
  )
  const enrolledFor = new Map<string, string>()
  for (const p of planned) {
    const key = `${p.identifier.kind}:${p.identifier.value}`
    const holder = holders.get(key)
    p.memberId = holder?.verified ? holder.memberId : undefined
    if (p.memberId) continue
    // Held but never proved: parked until its holder proves it, so naming a stranger's email collects nothing.
    if (!holder && context.channels.get(p.input.channel) === 'enrol') {
      if (!enrolledFor.has(key)) enrolledFor.set(key, newId())
      p.memberId = enrolledFor.get(key)
      p.enrolled = true
    } else {
      p.parkedId = newId()
    }
  }
}

async function writeEnrolments(db: Db, planned: Planned[], now: Date, defaultRegion: string) {
  const seen = new Set<string>()
  const enrolments = planned
    .filter((p) => p.enrolled && p.memberId && !seen.has(p.memberId) && seen.add(p.memberId))
    .map((p) => ({
      member: {
        id: p.memberId as string,
        email: p.identifier.kind === 'email' ? p.identifier.value : null,
        phone: p.identifier.kind === 'phone' ? p.identifier.value : null,
        joinedAt: now,
        joinedChannel: p.input.channel,
      },
      identifiers: [p.identifier],
    }))
  if (enrolments.length === 0) return
  const lost = await enrolMembers(db, enrolments, { defaultRegion, at: now })
  // Another batch enrolled the same identifier first: use its member instead.
  for (const p of planned) {
    const winner = p.memberId && lost.get(p.memberId)
    if (winner) {
      p.memberId = winner
      p.enrolled = false
    }
  }
}

/** Ingest's items as the writer takes them: a return's quantities signed, new products named by the lines that carry a name. */
async function writeRecorded(deps: Pick<Deps, 'db' | 'wiring' | 'config'>, planned: Planned[], now: Date) {
  const seen: ProductSeen[] = planned.flatMap((p) =>
    (p.input.lines ?? []).flatMap((l) =>
      l.name ? [{ sku: l.sku, name: l.name, category: l.category?.split('>').map((c) => c.trim()) ?? [], priceMinor: null }] : [],
    ),
  )
  await addProducts(deps.db, seen, deps.config.currency)
  await writeActivities(
    deps,
    planned.map((p) => {
      const sign = p.input.kind === 'return' ? -1 : 1
      return {
        id: p.activityId,
        memberId: p.memberId as string,
        kind: p.input.kind,
        channel: p.input.channel,
        storeId: p.storeId,
        occurredAt: new Date(p.input.occurredAt),
        source: p.input.source,
        idempotencyKey: p.input.idempotencyKey,
        orderRef: p.input.orderRef ?? null,
        returnOf: p.input.returnOf ?? null,
        currency: p.input.currency ?? null,
        details: p.input.details ?? {},
        lines: p.input.lines?.map((l) => ({ sku: l.sku, quantity: sign * l.quantity, unitPriceMinor: l.unitPrice, discountMinor: l.discount ?? 0 })) ?? null,
      }
    }),
    now,
    { announce: true, currency: deps.config.currency },
  )
}

/** Registers a custom engagement kind (admins), e.g. `tasting_attended`. */
export async function registerActivityKind(db: Db, code: string, name: string, at: Date) {
  await db.insert(activityKinds).values({ code, name, createdAt: at }).onConflictDoUpdate({ target: activityKinds.code, set: { name } })
}

/**
 * Attaches parked activity to a member who now holds its identifier (a guest's card linked at the
 * till, an email confirmed in the app). Call it in the transaction that linked the identifier.
 */
export async function claimParkedActivities(
  { db, wiring, config }: Pick<Deps, 'db' | 'wiring' | 'config'>,
  memberId: string,
  identifiers: { kind: IdentifierKind; value: string }[],
  now: Date,
): Promise<number> {
  if (identifiers.length === 0) return 0
  const claimed = await db
    .update(parkedActivities)
    .set({ claimedBy: memberId, claimedAt: now })
    .where(
      sql`${parkedActivities.claimedBy} is null and (${parkedActivities.identifierKind}, ${parkedActivities.identifierValue}) in (${sql.join(
        identifiers.map((i) => sql`(${i.kind}, ${i.value})`),
        sql`, `,
      )})`,
    )
    .returning()
  if (claimed.length === 0) return 0
  const planned = claimed.map((row, index) => {
    const { activityId, storeId, sentBy, ...input } = row.activity as ActivityInput & { activityId: string; storeId: string | null; sentBy?: string }
    const identifier = { kind: row.identifierKind as IdentifierKind, value: row.identifierValue }
    return { index, input, identifier, storeId, memberId, activityId, hash: '', sentBy: sentBy ?? serverSender }
  })
  await writeRecorded({ db, wiring, config }, planned, now)
  for (const p of planned) {
    await db
      .update(activityReceipts)
      .set({ result: { status: 'recorded', activityId: p.activityId, memberId } })
      .where(
        sql`${activityReceipts.sentBy} = ${p.sentBy} and ${activityReceipts.source} = ${p.input.source} and ${activityReceipts.idempotencyKey} = ${p.input.idempotencyKey}`,
      )
  }
  return claimed.length
}

import { recordAudit } from '../../platform/audit/index.js'
import type { Principal } from '../../platform/auth/principal.js'
import type { Deps } from '../../platform/deps.js'
import { NotFound } from '../../platform/http/problems.js'
import { newId } from '../../platform/ids.js'
import { assertStoreInScope, listStores, storesInScope } from '../activity/index.js'
import { addIdentifier, enrolMembers, isProvable, sendIdentifierCode } from '../members/index.js'

export interface TillEnrolment {
  givenName: string
  familyName?: string
  /** The one identifier they join with: a card handed over, or an email or phone that gets a code. */
  identifier: { kind: 'card' | 'email' | 'phone'; value: string }
  /** Store code; a store-held associate joins members at their own store. */
  store?: string
}

/**
 * Joins a shopper at the till in one step: the member, their home store (the associate's own, or
 * the one named, which a store-held associate must hold) and one identifier. A card in the
 * associate's hand is vouched for; an email or phone gets a code through the delivery interface, to
 * be read back to the associate (or entered later at home). An identifier another member holds is
 * refused (IdentifierTaken) and nothing is created: that shopper is already a member.
 */
export async function enrolAtTill(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'delivery'>, input: TillEnrolment, actor: Principal) {
  const now = deps.clock.now()
  const homeStore = await homeStoreFor(deps, actor, input.store)
  const { kind, value } = input.identifier
  const provable = isProvable(kind)
  const id = newId()
  return deps.db.transaction(async (tx) => {
    const member = { id, givenName: input.givenName.trim(), familyName: input.familyName?.trim() || null, homeStoreId: homeStore ?? null, joinedAt: now }
    await enrolMembers(tx, [{ member: { ...member, joinedChannel: 'store' }, identifiers: [] }], { defaultRegion: deps.config.defaultRegion, at: now })
    const linked = await addIdentifier(tx, id, kind, value, {
      defaultRegion: deps.config.defaultRegion,
      at: now,
      verified: !provable,
      yieldToProof: provable,
    })
    if (provable) await sendIdentifierCode({ ...deps, db: tx }, id, kind, linked.value)
    await recordAudit(tx, now, actor, {
      action: 'member.enrolled_at_till',
      targetKind: 'member',
      targetId: id,
      memberId: id,
      after: { givenName: member.givenName, familyName: member.familyName, homeStoreId: member.homeStoreId, identifier: { kind, value: linked.value } },
    })
    return { memberId: id, displayName: [member.givenName, member.familyName].filter(Boolean).join(' '), kind, value: linked.value, codeSent: provable }
  })
}

async function homeStoreFor(deps: Pick<Deps, 'db'>, actor: Principal, storeCode: string | undefined): Promise<string | undefined> {
  const scoped = await storesInScope(deps.db, actor)
  assertStoreInScope(scoped, storeCode)
  if (scoped && !storeCode) return scoped[0]?.id
  if (!storeCode) return undefined
  const store = (await listStores(deps.db)).find((s) => s.code === storeCode)
  if (!store) throw new NotFound('Store', storeCode)
  return store.id
}

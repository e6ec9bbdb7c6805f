import { sql } from 'drizzle-orm'
import type { StaffPrincipal } from '../../platform/auth/caller.js'
import { queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { newId } from '../../platform/ids.js'
import { recordActivities } from '../activity/index.js'
import { addFollowUp } from '../advisor/index.js'
import { scanForDuplicates } from '../identity/index.js'
import { enrolMembers } from '../members/index.js'
import { claimReferral, confirmRedemption, listRewards, redeem, referralCodeOf, runRewardJobs } from '../rewards/index.js'

type StoreLifeDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'wiring'>

const day = 86_400_000

/**
 * What a shop that has run the programme for a year has besides history: rewards members spent
 * their points on (the showcase member first), friends who joined on a member's invite, a
 * few people who signed up twice for the identity review, and follow-ups on the associate's list.
 * Everything goes through the owning modules, as the till, the web shop and the associate would.
 */
export async function seedStoreLife(
  deps: StoreLifeDeps,
  { showcase, associate, admin }: { showcase: string; associate: StaffPrincipal; admin: StaffPrincipal },
) {
  await seedRedemptions(deps, showcase)
  await seedReferrals(deps, showcase, admin)
  await seedDuplicates(deps)
  await seedFollowUps(deps, associate)
}

/** The members with the most points spent some on the cheapest rewards, at their home store's till or in the web shop. */
async function seedRedemptions(deps: StoreLifeDeps, showcase: string) {
  const rewards = (await listRewards(deps.db, { activeOnly: true, now: deps.clock.now() })).sort((a, b) => a.cost - b.cost)
  const richest = await queryRows<{ member_id: string; available: number; store: string | null }>(
    deps.db,
    sql`select b.member_id, b.available::int as available, s.code as store
          from points_balances b join members m on m.id = b.member_id left join stores s on s.id = m.home_store_id
         where b.available >= ${rewards[0]?.cost ?? 0}
         order by (b.member_id = ${showcase}) desc, b.available desc limit 25`,
  )
  for (const [i, member] of richest.entries()) {
    const reward = rewards.filter((r) => r.cost <= member.available)[i % 2]
    if (!reward) continue
    const atTill = member.store !== null && i % 3 !== 0
    const redemption = await redeem(deps, {
      memberId: member.member_id,
      rewardId: reward.id,
      idempotencyKey: `demo-redemption:${member.member_id}`,
      sentBy: 'demo',
      channel: atTill ? 'store' : 'web',
      storeCode: atTill ? member.store : null,
      reserve: atTill,
    })
    if (atTill) await confirmRedemption(deps, redemption.id)
  }
}

/**
 * Three friends joined on the showcase member's invite this month: two bought (their welcome and
 * the member's thank-you points come from the referral rules), one has not yet.
 */
async function seedReferrals(deps: StoreLifeDeps, showcase: string, admin: StaffPrincipal) {
  const now = deps.clock.now()
  const friends = [
    { givenName: 'Priya', familyName: 'Shah', bought: 40 },
    { givenName: 'Tom', familyName: 'Okafor', bought: 35 },
    { givenName: 'Lena', familyName: 'Novak', bought: null },
  ]
  const code = await referralCodeOf(deps, showcase)
  const enrolled = friends.map((friend, i) => ({
    member: {
      id: newId(),
      givenName: friend.givenName,
      familyName: friend.familyName,
      email: `${friend.givenName.toLowerCase()}.${friend.familyName.toLowerCase()}@example.com`,
      joinedAt: new Date(now.getTime() - (45 - i) * day),
      joinedChannel: 'web',
    },
    identifiers: [{ kind: 'loyalty_id' as const, value: `LREF${String(i + 1).padStart(5, '0')}` }],
  }))
  await enrolMembers(deps.db, enrolled, { defaultRegion: deps.config.defaultRegion, at: now })
  for (const [i, { member, identifiers }] of enrolled.entries()) {
    await claimReferral(deps, member.id, code, admin)
    const bought = friends[i].bought
    if (bought === null) continue
    const [result] = await recordActivities(deps, [
      {
        kind: 'purchase',
        member: { kind: 'loyalty_id', value: identifiers[0].value },
        channel: 'web',
        occurredAt: new Date(now.getTime() - bought * day).toISOString(),
        source: 'demo-web-shop',
        idempotencyKey: `demo-referred-order:${member.id}`,
        orderRef: `W-REF-${i + 1}`,
        lines: [{ sku: await aPopularSku(deps), quantity: 1, unitPrice: 1250 }],
      },
    ])
    if (result.status !== 'recorded') throw new Error(`The demo's referred purchase was ${result.status}: ${result.reason}`)
  }
  // The referral rules pay once the return window has passed.
  await runRewardJobs(deps, { nightly: false })
}

async function aPopularSku(deps: StoreLifeDeps) {
  const [row] = await queryRows<{ sku: string }>(deps.db, sql`select sku from activity_lines group by sku order by count(*) desc, sku limit 1`)
  return row.sku
}

/**
 * Three members signed up a second time (at a till that did not find them, in the web shop with a
 * work email): the same name and town with other contact details, for the identity review.
 */
async function seedDuplicates(deps: StoreLifeDeps) {
  const now = deps.clock.now()
  const originals = await queryRows<{ given_name: string; family_name: string; postcode: string | null; city: string | null; birth_date: string | null }>(
    deps.db,
    sql`select given_name, family_name, postcode, city, birth_date::text from members
         where merged_into is null and postcode is not null and given_name is not null order by joined_at, id limit 3`,
  )
  const again = originals.map((original, i) => ({
    member: {
      id: newId(),
      // A nickname, a typo, the same name: how people really sign up twice.
      givenName: [original.given_name.slice(0, Math.max(3, original.given_name.length - 2)), original.given_name, original.given_name][i],
      familyName: i === 1 ? `${original.family_name.slice(0, -1)}${original.family_name.slice(-1) === 'e' ? 'a' : 'e'}` : original.family_name,
      email: `${original.given_name.toLowerCase()}.${original.family_name.toLowerCase()}@work.example.com`,
      postcode: original.postcode,
      city: original.city,
      birthDate: i === 2 ? original.birth_date : null,
      joinedAt: new Date(now.getTime() - (10 + i) * day),
      joinedChannel: i === 0 ? 'store' : 'web',
    },
    identifiers: [{ kind: 'loyalty_id' as const, value: `LDUP${String(i + 1).padStart(5, '0')}` }],
  }))
  await enrolMembers(deps.db, again, { defaultRegion: deps.config.defaultRegion, at: now })
  await scanForDuplicates(deps)
}

/** Follow-ups on the demo associate's list: the members of their (one) store who bought most lately. */
async function seedFollowUps(deps: StoreLifeDeps, associate: StaffPrincipal) {
  const today = deps.clock.now()
  const members = await queryRows<{ id: string; given_name: string | null }>(
    deps.db,
    sql`select m.id, m.given_name from members m
         where m.merged_into is null and m.home_store_id = ${associate.storeIds[0] ?? null}
           and exists (select 1 from activities a where a.member_id = m.id and a.kind = 'purchase')
         order by (select max(a.occurred_at) from activities a where a.member_id = m.id and a.kind = 'purchase') desc, m.id
         limit 3`,
  )
  const titles = ['Call when the new season coffee arrives', 'Check how the grinder is working out', 'Invite to the tasting evening']
  for (const [i, member] of members.entries()) {
    const due = new Date(today.getTime() + (i - 1) * day).toISOString().slice(0, 10)
    await addFollowUp(deps, member.id, { title: titles[i], dueOn: due }, associate)
  }
}

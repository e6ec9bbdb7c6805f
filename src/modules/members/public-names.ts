import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '../../platform/db/index.js'

/**
 * How members are named to other members on public pages (reviews, questions, answers): given
 * name and the family name's initial ("Ada L.") when they let other members see them (the
 * `social_visibility` consent), else "A member". Never an email or a full family name.
 */
export async function publicNames(db: Db, memberIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(memberIds)]
  if (ids.length === 0) return new Map()
  const rows = await queryRows<{ id: string; name: string }>(
    db,
    sql`select m.id,
               case when exists (select 1 from member_consent_states v where v.member_id = m.id and v.purpose = 'social_visibility' and v.channel = 'all' and v.granted)
                    then coalesce(nullif(trim(concat_ws(' ', m.given_name, left(m.family_name, 1) || '.')), ''), 'A member')
                    else 'A member' end as name
          from members m where m.id = any(${sql.param(ids)}::uuid[])`,
  )
  return new Map(rows.map((r) => [r.id, r.name]))
}

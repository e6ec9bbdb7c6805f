import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { queryRows } from '../../platform/db/index.js'
import type { Deps } from '../../platform/deps.js'
import { DomainError } from '../../platform/http/problems.js'
import { loginFailures } from './schema.js'

export class TooManyLoginAttempts extends DomainError {
  constructor(what: 'account' | 'address') {
    super(
      '/problems/too-many-requests',
      429,
      'Too many requests',
      {},
      what === 'account' ? 'Too many failed logins for this account; try again later.' : 'Too many failed logins from this address; try again later.',
    )
  }
}

export interface LoginLimits {
  perAccount: number
  perAddress: number
  windowMinutes: number
}

const keyHash = (key: string) => createHash('sha256').update(key).digest('hex')

/**
 * Failed logins counted per account (whatever address they come from, so no proxy header or new
 * address escapes it) and per address (across accounts: one address trying many emails). The
 * counts are in the database (`login_failures`), so every server process shares them: two
 * processes do not double an attacker's allowance.
 */
export function loginGuard({ db, clock }: Pick<Deps, 'db' | 'clock'>, limits: LoginLimits) {
  const keys = (request: FastifyRequest) => {
    const email = String((request.body as { email?: unknown } | undefined)?.email ?? '')
      .trim()
      .toLowerCase()
    return { account: keyHash(`account|${email}`), address: keyHash(`address|${request.ip}`) }
  }
  return {
    /** preHandler: refuses before the password is even checked once a limit is reached. */
    async refuseIfLimited(request: FastifyRequest, reply: FastifyReply) {
      const now = clock.now()
      const { account, address } = keys(request)
      const counted = await queryRows<{ key_hash: string; failures: number; window_ends_at: Date | string }>(
        db,
        sql`select key_hash, failures, window_ends_at from ${loginFailures}
             where key_hash in (${account}, ${address}) and window_ends_at > ${now}`,
      )
      for (const [key, max, what] of [
        [account, limits.perAccount, 'account'],
        [address, limits.perAddress, 'address'],
      ] as const) {
        const entry = counted.find((c) => c.key_hash === key)
        if (entry && entry.failures >= max) {
          reply.header('retry-after', Math.ceil((new Date(entry.window_ends_at).getTime() - now.getTime()) / 1000))
          throw new TooManyLoginAttempts(what)
        }
      }
    },
    /**
     * onSend: a wrong email or password counts against both the account and the address, in one
     * statement, before the answer goes: the caller's next try always sees it.
     */
    async countFailure(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
      if (reply.statusCode !== 401) return payload
      const now = clock.now()
      const windowEnds = new Date(now.getTime() + limits.windowMinutes * 60_000)
      const { account, address } = keys(request)
      // A window that has passed starts again at one; the counter increments in the row, so
      // processes counting at once never lose a failure. Some lapsed rows go with each failure.
      await db.execute(
        sql`with lapsed as (delete from ${loginFailures} where key_hash in
                              (select key_hash from ${loginFailures} where window_ends_at < ${now} and key_hash not in (${account}, ${address}) limit 100))
            insert into ${loginFailures} (key_hash, failures, window_ends_at)
            values (${account}, 1, ${windowEnds}), (${address}, 1, ${windowEnds})
            on conflict (key_hash) do update set
              failures = case when ${loginFailures.windowEndsAt} > ${now} then ${loginFailures.failures} + 1 else 1 end,
              window_ends_at = case when ${loginFailures.windowEndsAt} > ${now} then ${loginFailures.windowEndsAt} else excluded.window_ends_at end`,
      )
      return payload
    },
  }
}

import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../../platform/clock.js'
import { DomainError } from '../../platform/http/problems.js'

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

/**
 * Failed logins counted per account (whatever address they come from, so no proxy header or new
 * address escapes it) and per address (across accounts: one address trying many emails). Counts
 * live in this process: with N processes an attacker gets at most N times the limit.
 */
export function loginGuard(clock: Clock, limits: LoginLimits) {
  const failures = new Map<string, { count: number; until: number }>()
  const windowMs = limits.windowMinutes * 60_000
  const keys = (request: FastifyRequest) => {
    const email = String((request.body as { email?: unknown } | undefined)?.email ?? '')
      .trim()
      .toLowerCase()
    return { account: `account|${email}`, address: `address|${request.ip}` }
  }
  const live = (key: string, now: number) => {
    const entry = failures.get(key)
    return entry && entry.until > now ? entry : undefined
  }
  return {
    /** preHandler: refuses before the password is even checked once a limit is reached. */
    async refuseIfLimited(request: FastifyRequest, reply: FastifyReply) {
      const now = clock.now().getTime()
      const { account, address } = keys(request)
      for (const [key, max, what] of [
        [account, limits.perAccount, 'account'],
        [address, limits.perAddress, 'address'],
      ] as const) {
        const entry = live(key, now)
        if (entry && entry.count >= max) {
          reply.header('retry-after', Math.ceil((entry.until - now) / 1000))
          throw new TooManyLoginAttempts(what)
        }
      }
    },
    /** onResponse: a wrong email or password counts against both the account and the address. */
    async countFailure(request: FastifyRequest, reply: FastifyReply) {
      if (reply.statusCode !== 401) return
      const now = clock.now().getTime()
      if (failures.size > 100_000) for (const [key, entry] of failures) if (entry.until <= now) failures.delete(key)
      for (const key of Object.values(keys(request))) {
        const entry = live(key, now) ?? { count: 0, until: now + windowMs }
        entry.count++
        failures.set(key, entry)
      }
    },
  }
}

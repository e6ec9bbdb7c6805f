import { resolve } from 'node:path'
import { defaultMessagesDir } from './delivery/index.js'

/** Everything the service reads from its environment, resolved once at start-up. */
export interface Config {
  port: number
  host: string
  /** 'memory' for a throwaway embedded database, else the folder PGlite persists to. */
  dataDir: string
  /** Set: run on real PostgreSQL instead of the embedded database. */
  databaseUrl?: string
  /** Behind a TLS-terminating proxy: mark cookies Secure, send HSTS. */
  behindTls: boolean
  /** Proxies whose X-Forwarded-For/-Proto are believed (addresses, CIDRs, or `loopback`); the client address is the first hop not among them. */
  trustedProxies: string[]
  /** Failed logins allowed per account and per address in a window before 429. */
  loginLimits: { perAccount: number; perAddress: number; windowMinutes: number }
  logLevel: string
  sessionHours: number
  /** Region used to read phone numbers written without a country code. */
  defaultRegion: string
  /** Where the built web app lives. */
  webDir: string
  /** Seed the demo retailer when the database is empty. */
  seedDemo: boolean
  /** Points expire this many months after they become available (oldest first). */
  pointsExpiryMonths: number
  /** A till's reservation of points for a reward lapses after this many minutes. */
  reservationMinutes: number
  /** Set: email goes out by this SMTP server (smtp://user:pass@host:587). Unset: to the messages folder. */
  smtpUrl?: string
  mailFrom: string
  /** Where messages no provider carries are written (demo mail; SMS, as no SMS provider is wired). */
  messagesDir: string
  /** The address people open Regulars at, for links in emails (password reset, invitations). */
  publicUrl: string
  /** Argon2id's work for each password hash (memory in KiB, passes over it). */
  passwordCost: PasswordCost
  /** The retailer's time zone (IANA name): background jobs' schedules are read in it. */
  timezone: string
  /** Web shop origins allowed to embed the reviews widget (REGULARS_WIDGET_ORIGINS, comma-separated; docs/community.md). */
  widgetOrigins: string[]
  /** The retailer's currency (ISO 4217): money a channel or store sends without one is in it. */
  currency: string
  /** What one point costs the programme, in minor units of the currency (may be a fraction): points shown in money. */
  pointValueMinor: number
  /** Set: live rooms are shared between processes through this NATS server (nats://127.0.0.1:4222); unset: in-process. */
  natsUrl?: string
}

export interface PasswordCost {
  memoryKiB: number
  passes: number
}

export interface ConfigFlags {
  port?: string | number
  host?: string
  data?: string
  demo?: boolean
}

const positive = (name: string, value: string) => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, got ${value}`)
  return n
}

const pointValue = (value: string) => {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0 || n > 1_000_000)
    throw new Error(`REGULARS_POINT_VALUE_MINOR must be a number above 0, such as 1 (a penny a point), got ${value}`)
  return n
}

const timeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value })
  } catch {
    throw new Error(`REGULARS_TIMEZONE must be an IANA time zone such as Europe/London, got ${value}`)
  }
  return value
}

/** An ISO 4217 code that Intl can format, so every figure in it can be shown. */
export const currencyCode = (value: string, name = 'REGULARS_CURRENCY') => {
  if (/^[A-Z]{3}$/.test(value) && Intl.supportedValuesOf('currency').includes(value)) return value
  throw new Error(`${name} must be an ISO 4217 currency code such as GBP, EUR or USD, got ${value}`)
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: ConfigFlags = {}): Config {
  const port = Number(flags.port ?? env.PORT ?? 8080)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${flags.port ?? env.PORT}`)
  const dataDir = flags.data ?? env.REGULARS_DATA ?? './data'
  return {
    port,
    host: flags.host ?? env.HOST ?? '0.0.0.0',
    dataDir: dataDir === 'memory' ? 'memory' : resolve(dataDir),
    databaseUrl: env.DATABASE_URL || undefined,
    behindTls: env.REGULARS_BEHIND_TLS === 'true',
    trustedProxies: (env.REGULARS_TRUSTED_PROXIES ?? 'loopback')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
    loginLimits: {
      perAccount: positive('REGULARS_LOGIN_FAILURES_PER_ACCOUNT', env.REGULARS_LOGIN_FAILURES_PER_ACCOUNT ?? '10'),
      perAddress: positive('REGULARS_LOGIN_FAILURES_PER_ADDRESS', env.REGULARS_LOGIN_FAILURES_PER_ADDRESS ?? '30'),
      windowMinutes: 15,
    },
    logLevel: env.LOG_LEVEL ?? 'info',
    sessionHours: Number(env.REGULARS_SESSION_HOURS ?? 12),
    defaultRegion: env.REGULARS_DEFAULT_REGION ?? 'GB',
    webDir: resolve(env.REGULARS_WEB_DIR ?? 'web/dist'),
    seedDemo: flags.demo ?? env.REGULARS_DEMO !== 'false',
    pointsExpiryMonths: positive('REGULARS_POINTS_EXPIRY_MONTHS', env.REGULARS_POINTS_EXPIRY_MONTHS ?? '24'),
    reservationMinutes: positive('REGULARS_RESERVATION_MINUTES', env.REGULARS_RESERVATION_MINUTES ?? '15'),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.REGULARS_MAIL_FROM ?? 'Regulars <no-reply@regulars.invalid>',
    messagesDir: env.REGULARS_MESSAGES_DIR ? resolve(env.REGULARS_MESSAGES_DIR) : defaultMessagesDir(dataDir === 'memory' ? 'memory' : resolve(dataDir)),
    publicUrl: (env.REGULARS_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    widgetOrigins: (env.REGULARS_WIDGET_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/$/, ''))
      .filter(Boolean),
    // 46 MiB, 1 pass: one of OWASP's recommended argon2id settings. The test setup lowers it.
    passwordCost: {
      memoryKiB: positive('REGULARS_PASSWORD_MEMORY_KIB', env.REGULARS_PASSWORD_MEMORY_KIB ?? '47104'),
      passes: positive('REGULARS_PASSWORD_PASSES', env.REGULARS_PASSWORD_PASSES ?? '1'),
    },
    timezone: timeZone(env.REGULARS_TIMEZONE ?? 'Europe/London'),
    currency: currencyCode(env.REGULARS_CURRENCY ?? 'GBP'),
    pointValueMinor: pointValue(env.REGULARS_POINT_VALUE_MINOR ?? '1'),
    natsUrl: env.NATS_URL || undefined,
  }
}

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SMTPServer } from 'smtp-server'
import { buildApp } from '../../src/app.js'
import { jobs as allJobs } from '../../src/jobs.js'
import { openDelivery } from '../../src/platform/delivery/index.js'
import { createJobs } from '../../src/platform/jobs/index.js'
import { type TestApp, testDeps } from './testing.js'

export interface ReceivedMail {
  to: string[]
  subject: string
  text: string
}

/** A real SMTP server on a spare local port that keeps what it receives, for tests that read their mail. */
export async function startMailbox() {
  const received: ReceivedMail[] = []
  const arrivals = new Set<() => void>()
  // While held, a message is read but not answered: its sender waits, as on a slow mail server.
  let held: Promise<void> | undefined
  let release = () => {}
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const [head, ...body] = raw.split(/\r?\n\r?\n/)
        const subject = /^Subject: (.*)$/im.exec(head)?.[1] ?? ''
        // Undo quoted-printable soft breaks and escapes: enough for the plain messages we send.
        const text = body
          .join('\n\n')
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(Number.parseInt(hex, 16)))
        const accept = () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject, text })
          callback()
          for (const arrived of arrivals) arrived()
        }
        if (held) held.then(accept)
        else accept()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The six-digit code in the newest message to this address. */
    codeFor(address: string) {
      const mail = received.findLast((m) => m.to.includes(address))
      const code = mail && /\b(\d{6})\b/.exec(mail.text)?.[1]
      if (!code) throw new Error(`no code was mailed to ${address}`)
      return code
    },
    /** The one-time link in the newest message to this address. */
    linkFor(address: string) {
      const mail = received.findLast((m) => m.to.includes(address))
      const link = mail && /https?:\/\/\S+/.exec(mail.text)?.[0]
      if (!link) throw new Error(`no link was mailed to ${address}`)
      return link
    },
    /** Resolves when a message to this address arrives (at once if `since` messages were already in and a later one is). */
    async arrival(address: string, since = received.length) {
      const arrived = () => received.slice(since).some((m) => m.to.includes(address))
      if (arrived()) return
      await new Promise<void>((resolve) => {
        const check = () => {
          if (!arrived()) return
          arrivals.delete(check)
          resolve()
        }
        arrivals.add(check)
      })
    },
    /** Holds every message until `release()`: what a slow mail server does to whoever waits on it. */
    hold() {
      held = new Promise<void>((resolve) => {
        release = () => {
          held = undefined
          resolve()
        }
      })
    },
    release: () => release(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export type Mailbox = Awaited<ReturnType<typeof startMailbox>>

/** The whole app as production wires it: email by SMTP to a mailbox the test reads, text messages to a folder. */
export async function testAppWithMailbox(at?: string): Promise<TestApp & { mailbox: Mailbox; textFor(phone: string): string }> {
  const mailbox = await startMailbox()
  const base = await testDeps(at)
  const messagesDir = mkdtempSync(join(tmpdir(), 'regulars-test-messages-'))
  const delivery = openDelivery({ smtpUrl: mailbox.url, mailFrom: 'Regulars <no-reply@shop.example>', messagesDir })
  const deps = { ...base, delivery }
  const jobs = createJobs(deps, allJobs)
  const app = await buildApp(deps, { logger: false, jobs })
  await app.ready()
  return {
    app,
    deps,
    jobs,
    mailbox,
    /** The code in the newest text message to this phone (E.164). */
    textFor(phone: string) {
      const texts = readdirSync(messagesDir)
        .sort()
        .map((name) => readFileSync(join(messagesDir, name), 'utf8'))
        .filter((text) => text.startsWith(`To: ${phone}\n`))
      const code = /\b(\d{6})\b/.exec(texts.at(-1) ?? '')?.[1]
      if (!code) throw new Error(`no code was texted to ${phone}`)
      return code
    },
    close: async () => {
      await app.close()
      await delivery.close()
      await mailbox.close()
      await base.close()
      rmSync(messagesDir, { recursive: true, force: true })
    },
  }
}

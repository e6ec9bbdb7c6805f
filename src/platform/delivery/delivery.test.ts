import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startMailbox } from '../../../test/support/mailbox.js'
import { deliver, MessageNotSent, openDelivery } from './index.js'

describe('delivering messages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'regulars-delivery-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes each message to the folder when no SMTP server is configured', async () => {
    const delivery = openDelivery({ mailFrom: 'shop@example.test', messagesDir: join(dir, 'demo') })
    expect(delivery.describe).toContain(join(dir, 'demo'))
    await deliver(delivery, { channel: 'email', to: 'ada@example.test', subject: 'Hello', text: 'Your code is 123456.' })
    await deliver(delivery, { channel: 'sms', to: '+447700900123', subject: 'Hi', text: 'Your code is 654321.' })
    const files = readdirSync(join(dir, 'demo')).sort()
    expect(files).toHaveLength(2)
    expect(readFileSync(join(dir, 'demo', files[0]), 'utf8')).toBe('To: ada@example.test\nChannel: email\nSubject: Hello\n\nYour code is 123456.\n')
    expect(files[1]).toMatch(/-sms\.txt$/)
  })

  it('sends email by SMTP and text messages to the folder when SMTP_URL is set', async () => {
    const mailbox = await startMailbox()
    const delivery = openDelivery({ smtpUrl: mailbox.url, mailFrom: 'Shop <shop@example.test>', messagesDir: join(dir, 'smtp') })
    await deliver(delivery, { channel: 'email', to: 'ada@example.test', subject: 'Your code', text: 'Your code is 123456.' })
    await deliver(delivery, { channel: 'sms', to: '+447700900123', subject: 'Your code', text: 'Your code is 654321.' })
    expect(mailbox.received).toEqual([{ to: ['ada@example.test'], subject: 'Your code', text: expect.stringContaining('Your code is 123456.') }])
    expect(readdirSync(join(dir, 'smtp'))).toHaveLength(1)
    await delivery.close()
    await mailbox.close()
  })

  it('answers 503 when the SMTP server cannot be reached, without the message in the error', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number }
        probe.close(() => resolve(port))
      })
    })
    const delivery = openDelivery({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'shop@example.test', messagesDir: join(dir, 'down') })
    const failure = await deliver(delivery, { channel: 'email', to: 'ada@example.test', subject: 'x', text: 'Your code is 123456.' }).catch((e) => e)
    expect(failure).toBeInstanceOf(MessageNotSent)
    expect(failure.status).toBe(503)
    expect(JSON.stringify(failure)).not.toContain('123456')
    await delivery.close()
  })
})

import { mkdirSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import { DomainError } from '../http/problems.js'

/** A message to one person: an email, or a text message to a phone (E.164). */
export interface Message {
  channel: 'email' | 'sms'
  to: string
  subject: string
  text: string
}

/**
 * Where messages go. A provider plugs in by implementing `send` (an SMS gateway, say, wrapped around
 * the SMTP sender for email); `describe` is printed at start so operators know where mail lands.
 */
export interface Delivery {
  send(message: Message): Promise<void>
  describe: string
  close(): Promise<void>
}

export interface DeliveryConfig {
  smtpUrl?: string
  /** Sender address of emails. */
  mailFrom: string
  /** Folder for messages no provider carries (the demo's mail, and SMS until a provider is wired). */
  messagesDir: string
}

/** SMTP for email when SMTP_URL is set, else a folder; text messages always go to the folder (no SMS provider is wired). */
export function openDelivery(config: DeliveryConfig): Delivery {
  const folder = folderDelivery(config.messagesDir)
  if (!config.smtpUrl) return folder
  const smtp = smtpDelivery(config.smtpUrl, config.mailFrom)
  return {
    send: (message) => (message.channel === 'email' ? smtp.send(message) : folder.send(message)),
    describe: `${smtp.describe}; text messages to ${config.messagesDir} (no SMS provider)`,
    close: () => smtp.close(),
  }
}

/** Email through an SMTP server (smtp://user:pass@host:587, smtps://… for implicit TLS). */
export function smtpDelivery(smtpUrl: string, from: string): Delivery {
  const transport = nodemailer.createTransport(smtpUrl)
  const { host, port } = new URL(smtpUrl)
  return {
    async send(message) {
      if (message.channel !== 'email') throw new Error('SMTP carries email only')
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text })
    },
    describe: `email by SMTP to ${host}:${port || 'default port'}`,
    close: async () => transport.close(),
  }
}

let sequence = 0

/** Each message as a text file in a folder: the demo's "mailbox", readable with any editor. */
export function folderDelivery(dir: string): Delivery {
  mkdirSync(dir, { recursive: true })
  return {
    async send(message) {
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${String(++sequence).padStart(6, '0')}-${message.channel}.txt`
      await writeFile(join(dir, name), `To: ${message.to}\nChannel: ${message.channel}\nSubject: ${message.subject}\n\n${message.text}\n`, { mode: 0o600 })
    },
    describe: `messages (email and text) written to ${dir}`,
    close: async () => {},
  }
}

/** The messages folder: beside the embedded database, or in the temporary folder for a throwaway one. */
export const defaultMessagesDir = (dataDir: string) => (dataDir === 'memory' ? join(tmpdir(), 'regulars-messages') : join(dataDir, 'messages'))

export class MessageNotSent extends DomainError {
  constructor() {
    super('/problems/message-not-sent', 503, 'The message could not be sent', {}, 'Sending email or text messages is failing at the moment: try again shortly.')
  }
}

/** Sends, turning a provider's failure into a 503 problem (the caller's transaction rolls back with it). */
export async function deliver(delivery: Delivery, message: Message) {
  try {
    await delivery.send(message)
  } catch {
    // The provider's error is dropped on purpose: it may quote the message, and the message holds a code.
    throw new MessageNotSent()
  }
}

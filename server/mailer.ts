/**
 * Outgoing mail: by SMTP (nodemailer) when SMTP_URL is set, otherwise one file per message in the mail
 * folder (development and tests read the code from there).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import { newId } from '../electron/core/ids'

export interface Message {
  to: string
  subject: string
  text: string
}

export interface Mailer {
  send(message: Message): Promise<void>
  close(): void
}

export const DEFAULT_FROM = 'Pathwise <no-reply@pathwise.app>'

export function smtpMailer(url: string, from = DEFAULT_FROM): Mailer {
  const transport = nodemailer.createTransport(url)
  return {
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text })
    },
    close: () => transport.close(),
  }
}

/** Writes each message as a plain 8-bit .eml file; names sort by time (newest last). */
export function folderMailer(dir: string, from = DEFAULT_FROM): Mailer {
  let ready: Promise<unknown> | null = null
  return {
    async send(message) {
      ready ??= mkdir(dir, { recursive: true })
      await ready
      const date = new Date()
      const headers = [
        `From: ${from}`,
        `To: ${message.to}`,
        `Subject: ${message.subject}`,
        `Date: ${date.toUTCString()}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
      ]
      const name = `${date.toISOString().replace(/[:.]/g, '-')}-${newId()}.eml`
      await writeFile(join(dir, name), `${headers.join('\r\n')}\r\n\r\n${message.text.replace(/\r?\n/g, '\r\n')}\r\n`, { mode: 0o600 })
    },
    close: () => undefined,
  }
}

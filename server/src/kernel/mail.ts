import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Clock } from './clock';
import { newId } from './crypto';
import type { PlatformDb } from './platform-store';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface OutboxItem {
  id: string;
  to: string;
  subject: string;
  status: 'stored' | 'sent' | 'failed';
  error: string | null;
  createdAt: string;
  text: string | null;
}

export interface Mailer {
  /** Never throws for delivery problems: they are logged and kept in the outbox as `failed`. */
  send(message: MailMessage): Promise<void>;
  outbox(limit?: number): Promise<OutboxItem[]>;
  /** Drops every kept message to an address (account deletion, W4.4). */
  forgetRecipient(address: string): Promise<void>;
}

interface NodemailerMailData {
  to?: unknown;
  subject?: unknown;
  text?: unknown;
  html?: unknown;
}

/**
 * Without SMTP configured, nodemailer hands every message to this transport, which keeps it in the
 * outbox table so operators can read it (`toride mail outbox`, the operator console). With SMTP,
 * the outbox keeps only who/what/status, never the body: bodies carry sign-in links.
 */
function outboxTransport(db: Kysely<PlatformDb>, clock: Clock) {
  return {
    name: 'toride-outbox',
    version: '1',
    send(mail: { data: NodemailerMailData }, callback: (error: Error | null, info?: unknown) => void) {
      const { data } = mail;
      db.insertInto('mail_outbox')
        .values({
          id: newId(),
          to_address: String(data.to),
          subject: String(data.subject),
          text_body: typeof data.text === 'string' ? data.text : null,
          html_body: typeof data.html === 'string' ? data.html : null,
          status: 'stored',
          error: null,
          created_at: clock.now().toISOString(),
        })
        .execute()
        .then(() => callback(null, { messageId: 'outbox' }), (error: Error) => callback(error));
    },
  };
}

export function createMailer(config: Config, db: Kysely<PlatformDb>, clock: Clock, logger: Logger): Mailer {
  const transporter = config.smtpUrl
    ? nodemailer.createTransport(config.smtpUrl)
    : nodemailer.createTransport(outboxTransport(db, clock));

  const recordDelivery = (message: MailMessage, status: 'sent' | 'failed', error: string | null) =>
    db
      .insertInto('mail_outbox')
      .values({
        id: newId(),
        to_address: message.to,
        subject: message.subject,
        text_body: null,
        html_body: null,
        status,
        error,
        created_at: clock.now().toISOString(),
      })
      .execute();

  return {
    async send(message) {
      try {
        await transporter.sendMail({ from: config.mailFrom, ...message });
        if (config.smtpUrl) await recordDelivery(message, 'sent', null);
      } catch (error) {
        logger.error({ err: error, to: message.to, subject: message.subject }, 'mail delivery failed');
        if (config.smtpUrl) await recordDelivery(message, 'failed', (error as Error).message);
      }
    },
    async forgetRecipient(address) {
      await db.deleteFrom('mail_outbox').where('to_address', '=', address).execute();
    },
    async outbox(limit = 50) {
      const rows = await db.selectFrom('mail_outbox').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map((row) => ({
        id: row.id,
        to: row.to_address,
        subject: row.subject,
        status: row.status as OutboxItem['status'],
        error: row.error,
        createdAt: row.created_at,
        text: row.text_body,
      }));
    },
  };
}

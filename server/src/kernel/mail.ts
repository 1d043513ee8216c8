import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { DAY, type Clock } from './clock';
import { newId } from './crypto';
import type { PurgeBatchResult } from './module';
import type { PlatformDb } from './platform-store';
import { purgeTablesBatch } from './purge';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * The org whose content the mail carries (issue keys, comments, the org's name): the outbox row
   * is then org data, purged with the org (W4.1). Leave out for mail about the account itself.
   */
  orgId?: string | null;
  /** What operators see instead of the content (W2.1), e.g. `projects.notification`; default `account`. */
  kind?: string;
}

export interface OutboxItem {
  id: string;
  to: string;
  subject: string;
  status: 'stored' | 'sent' | 'failed';
  error: string | null;
  createdAt: string;
  text: string | null;
  orgId: string | null;
  kind: string;
}

/** What an operator may see of a mail (W2.1): never the address, subject or body. */
export interface OutboxMetadata {
  id: string;
  recipientDomain: string;
  kind: string;
  status: OutboxItem['status'];
  createdAt: string;
}

/** Outbox rows (metadata, and kept bodies) are deleted this long after the mail was handed over (issue 16 §3). */
export const MAIL_OUTBOX_RETENTION_DAYS = 30;

export interface Mailer {
  /** Never throws for delivery problems: they are logged and kept in the outbox as `failed`. */
  send(message: MailMessage): Promise<void>;
  /** Everything kept, bodies included: the kernel's own use and the local `toride mail outbox` only. */
  outbox(limit?: number): Promise<OutboxItem[]>;
  /** The operator console's view: metadata only (W2.1). */
  outboxMetadata(limit?: number): Promise<OutboxMetadata[]>;
  /** Drops every kept message to an address (account deletion, W4.4). */
  forgetRecipient(address: string): Promise<void>;
  /** One batch of the org purge (W4.1): the org's mail, counted as `platform/<region>/mail_outbox`. */
  purgeOrganization(orgId: string, batchSize: number): Promise<PurgeBatchResult>;
  /** Deletes rows older than the retention; returns how many. */
  purgeExpired(): Promise<number>;
  /** When the oldest kept row expires (the retention job's deadline), or null when the outbox is empty. */
  nextExpiry(): Promise<Date | null>;
}

interface NodemailerMailData {
  to?: unknown;
  subject?: unknown;
  text?: unknown;
  html?: unknown;
  /** Ours, passed through nodemailer's mail data to the outbox transport. */
  torideOrgId?: unknown;
  torideKind?: unknown;
}

/**
 * Without SMTP configured, nodemailer hands every message to this transport, which keeps it in the
 * outbox table: that is the delivery of a local single-user install, read on the host with
 * `toride mail outbox` (bodies included). The operator console shows metadata only (W2.1). With
 * SMTP, the outbox keeps only who/what/status, never the body: bodies carry sign-in links and org
 * content. Either way a row lives 30 days, and rows about an org go with the org's purge.
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
          org_id: typeof data.torideOrgId === 'string' ? data.torideOrgId : null,
          kind: typeof data.torideKind === 'string' ? data.torideKind : 'account',
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
        org_id: message.orgId ?? null,
        kind: message.kind ?? 'account',
      })
      .execute();

  const expiredBefore = () => new Date(clock.now().getTime() - MAIL_OUTBOX_RETENTION_DAYS * DAY).toISOString();

  return {
    async send(message) {
      const { orgId, kind, ...mail } = message;
      try {
        await transporter.sendMail({ from: config.mailFrom, ...mail, ...(config.smtpUrl ? {} : { torideOrgId: orgId ?? null, torideKind: kind ?? 'account' }) } as Parameters<typeof transporter.sendMail>[0]);
        if (config.smtpUrl) await recordDelivery(message, 'sent', null);
      } catch (error) {
        logger.error({ err: error, kind: kind ?? 'account', orgId }, 'mail delivery failed');
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
        orgId: row.org_id,
        kind: row.kind,
      }));
    },
    async outboxMetadata(limit = 50) {
      // Only the columns an operator may see are read: the body never leaves the database here.
      const rows = await db.selectFrom('mail_outbox').select(['id', 'to_address', 'kind', 'status', 'created_at']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map((row) => ({
        id: row.id,
        recipientDomain: row.to_address.slice(row.to_address.lastIndexOf('@') + 1).toLowerCase(),
        kind: row.kind,
        status: row.status as OutboxItem['status'],
        createdAt: row.created_at,
      }));
    },
    purgeOrganization(orgId, batchSize) {
      return purgeTablesBatch(db, { module: 'platform', region: config.regionPlatform, orgId }, [{ table: 'mail_outbox', key: ['id'] }], batchSize);
    },
    async purgeExpired() {
      const result = await db.deleteFrom('mail_outbox').where('created_at', '<=', expiredBefore()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async nextExpiry() {
      const row = await db.selectFrom('mail_outbox').select((eb) => eb.fn.min('created_at').as('oldest')).executeTakeFirst();
      return row?.oldest ? new Date(Date.parse(row.oldest) + MAIL_OUTBOX_RETENTION_DAYS * DAY) : null;
    },
  };
}

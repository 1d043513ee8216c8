import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../test/client';
import { DAY, SECOND } from './clock';
import { signUpUser } from '../test/factories';
import { buildTestApp, type TestApp } from '../test/harness';

interface Received {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** A real SMTP server on 127.0.0.1 with AUTH PLAIN; mail goes through nodemailer's SMTP transport. */
let smtp: SMTPServer;
let port = 0;
const received: Received[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'toride' && auth.password === 'mail-pass') callback(null, { user: 'toride' });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address).join(','),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(resolve));
});

describe('mail', () => {
  it('delivers through SMTP when configured; the outbox keeps metadata, never the body', async () => {
    const t: TestApp = await buildTestApp({ config: { smtpUrl: `smtp://toride:mail-pass@127.0.0.1:${port}`, mailFrom: 'Toride <noreply@toride.test>' } });
    try {
      const user = await signUpUser(t, { verify: false, locale: 'en' });
      const mail = received.find((m) => m.to === user.email);
      expect(mail).toBeDefined();
      expect(mail?.from).toBe('noreply@toride.test');
      expect(mail?.subject).toBe('Verify your email address for Toride');
      const token = /verify-email\?token=([\w-]+)/.exec(mail?.text ?? '')?.[1];
      expect((await user.client.post('/api/v1/email-verification/confirm', { token })).status).toBe(204);
      const [logged] = await t.kernel.mailer.outbox(5);
      expect(logged).toMatchObject({ to: user.email, status: 'sent', text: null });
    } finally {
      await t.close();
    }
  });

  it('records a failed delivery without failing the request', async () => {
    const t: TestApp = await buildTestApp({ config: { smtpUrl: `smtp://toride:wrong@127.0.0.1:${port}` } });
    try {
      const response = await new TestClient(t.app).post('/api/v1/signup', { email: 'fail@example.test', password: 'correct horse battery', name: 'F', orgName: 'F', locale: 'en' });
      expect(response.status).toBe(201);
      const [logged] = await t.kernel.mailer.outbox(5);
      expect(logged).toMatchObject({ status: 'failed', to: 'fail@example.test' });
      expect(logged?.error).toMatch(/535|auth/i);
    } finally {
      await t.close();
    }
  });

  it('tags mail about an org with the org and its kind, with and without SMTP; bodies are not kept once delivered (issue 16 §3)', async () => {
    const withSmtp = await buildTestApp({ config: { smtpUrl: `smtp://toride:mail-pass@127.0.0.1:${port}` } });
    const local = await buildTestApp();
    try {
      const message = { orgId: 'org-1', kind: 'projects.notification', to: 'bo@example.test', subject: '[ABC-1] Secret plan', text: 'the body' };
      await withSmtp.kernel.mailer.send(message);
      await local.kernel.mailer.send(message);
      expect(received.some((m) => m.subject === '[ABC-1] Secret plan' && m.text.includes('the body'))).toBe(true);
      const [sent] = await withSmtp.kernel.mailer.outbox(1);
      expect(sent).toMatchObject({ orgId: 'org-1', kind: 'projects.notification', status: 'sent', text: null });
      const [stored] = await local.kernel.mailer.outbox(1);
      expect(stored).toMatchObject({ orgId: 'org-1', kind: 'projects.notification', status: 'stored', text: 'the body' });
      await local.kernel.mailer.send({ to: 'cy@example.test', subject: 'Verify', text: 'link' });
      expect((await local.kernel.mailer.outbox(1))[0]).toMatchObject({ orgId: null, kind: 'account' });
    } finally {
      await Promise.all([withSmtp.close(), local.close()]);
    }
  });

  it('deletes each outbox row 30 days after it was written, on time, by the retention timer (issue 16 §3)', async () => {
    const t = await buildTestApp();
    try {
      await t.kernel.mailer.send({ orgId: 'org-2', kind: 'projects.wiki', to: 'di@example.test', subject: 'old', text: 'x' });
      t.clock.advance(DAY);
      await t.kernel.mailer.send({ to: 'di@example.test', subject: 'new', text: 'y' });
      t.jobs.start(t.config.jobsIntervalSeconds);
      const subjects = async () => (await t.kernel.mailer.outbox(500)).filter((m) => m.to === 'di@example.test').map((m) => m.subject);
      t.clock.advance(29 * DAY - SECOND);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await subjects()).toEqual(['new', 'old']);
      t.clock.advance(SECOND);
      let left = await subjects();
      for (let i = 0; i < 100 && left.length > 1; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        left = await subjects();
      }
      expect(left).toEqual(['new']);
      t.clock.advance(DAY);
      for (let i = 0; i < 100 && left.length > 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        left = await subjects();
      }
      expect(left).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('keeps messages in the outbox when no SMTP is configured', async () => {
    const t = await buildTestApp();
    try {
      const user = await signUpUser(t, { verify: false, locale: 'ja' });
      const [stored] = await t.kernel.mailer.outbox(5);
      expect(stored).toMatchObject({ to: user.email, status: 'stored' });
      expect(stored?.text).toContain('/verify-email?token=');
    } finally {
      await t.close();
    }
  });
});

import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../test/client';
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

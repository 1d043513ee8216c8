import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicUrlOf } from './config';
import type { OutboxItem } from './kernel/mail';
import { apiKeyOf, backlog } from './test/backlog-client';
import { TestClient } from './test/client';
import { addMember, PASSWORD, signUpUser } from './test/factories';
import { buildTestApp, type TestApp } from './test/harness';

/**
 * Issue 15 §6: every link in every mail opens from a mail client — absolute, on the public URL. The
 * app runs WITHOUT `TORIDE_PUBLIC_URL` (a fresh loopback install, where the report saw `/orgs/…` links),
 * so links must come from the config's public-URL helper, not from the optional setting.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ config: { publicUrl: undefined } });
});
afterAll(async () => {
  await t.close();
});

/** Paths standing alone in the text ("/orgs/…", "(/invite/…)", href="/…"): what a mail client cannot open. */
const RELATIVE = /(?:^|[\s("'<=])(\/[A-Za-z][^\s"'<>)]*)/gm;
const URL = /\bhttps?:\/\/[^\s"'<>)]+/g;

function linksOf(mail: OutboxItem) {
  const body = `${mail.text ?? ''}\n${(mail as { html?: string | null }).html ?? ''}`;
  return { relative: [...body.matchAll(RELATIVE)].map((m) => m[1]), absolute: body.match(URL) ?? [] };
}

async function waitForMail(to: string, kind: string) {
  for (let i = 0; i < 100; i++) {
    if ((await t.kernel.mailer.outbox(500)).some((m) => m.to === to && m.kind === kind)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${kind} mail to ${to}`);
}

describe('absolute links in every email (issue 15 §6, W6.1)', () => {
  it('identity, invitation, project notification, wiki and classic-space mails link only to the public URL, each in its reader’s language', async () => {
    const base = publicUrlOf(t.config);
    expect(t.config.publicUrl).toBeUndefined();
    // Identity: verification (sign-up), invitation, password reset, password change, email change.
    const admin = await signUpUser(t, { name: '田中 愛子', orgName: '田中商店', locale: 'ja' });
    const member = await addMember(t, admin, 'member', { name: 'Mia Member' });
    await new TestClient(t.app).post('/api/v1/password-resets', { email: member.email });
    expect((await member.client.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'quiet harbor under paper kites' })).status).toBe(204);
    expect((await admin.client.post('/api/v1/me/email', { email: `new-${admin.email}`, password: PASSWORD })).status).toBeLessThan(300);

    // Projects: assignment notifications and wiki change mails, to an en and a ja member.
    const jaMember = await addMember(t, admin, 'member', { name: '佐藤 健' });
    expect((await jaMember.client.patch('/api/v1/me', { locale: 'ja' })).status).toBe(200);
    const key = await apiKeyOf(admin);
    const memberId = (await backlog(t, await apiKeyOf(member), 'GET', '/users/myself')).body.id;
    const jaMemberId = (await backlog(t, await apiKeyOf(jaMember), 'GET', '/users/myself')).body.id;
    const project = (await backlog(t, key, 'POST', '/projects', { name: 'Web', key: 'WEB' })).body;
    for (const userId of [memberId, jaMemberId]) expect((await backlog(t, key, 'POST', '/projects/WEB/users', { userId })).status).toBe(200);
    const typeId = (await backlog(t, key, 'GET', '/projects/WEB/issueTypes')).body[0].id;
    for (const assigneeId of [memberId, jaMemberId]) {
      expect((await backlog(t, key, 'POST', '/issues', { projectId: project.id, summary: 'Fix the header', issueTypeId: typeId, priorityId: 3, assigneeId })).status).toBe(201);
    }
    expect((await backlog(t, key, 'POST', '/wikis', { projectId: project.id, name: 'Home', content: 'hello', mailNotify: true })).status).toBe(201);
    for (const to of [member.email, jaMember.email]) {
      await waitForMail(to, 'projects.notification');
      await waitForMail(to, 'projects.wiki');
    }
    // A classic space's own user gets their sign-in address by mail.
    expect((await admin.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/classic`, { userLimit: 2 })).status).toBe(200);
    expect((await backlog(t, key, 'POST', '/users', { userId: 'kim', password: 'x', name: 'Kim', mailAddress: 'kim-links@example.test', roleType: 2 })).status).toBe(201);

    const mails = await t.kernel.mailer.outbox(500);
    const kinds = new Set(mails.map((m) => m.kind));
    for (const kind of ['projects.notification', 'projects.wiki']) expect(kinds).toContain(kind);
    expect(mails.length).toBeGreaterThanOrEqual(7);
    let links = 0;
    for (const mail of mails) {
      const { relative, absolute } = linksOf(mail);
      expect(relative, `${mail.kind} to ${mail.to}: ${mail.text}`).toEqual([]);
      for (const url of absolute) expect(url.startsWith(`${base}/`), `${mail.kind}: ${url}`).toBe(true);
      links += absolute.length;
    }
    const mailTo = (to: string, kind: string) => mails.find((m) => m.kind === kind && m.to === to);
    expect(mailTo(member.email, 'projects.notification')?.text).toContain(`${base}/orgs/${admin.orgId}/projects/WEB/issues/WEB-1`);
    expect(mailTo('kim-links@example.test', 'projects.classic_account')?.text).toContain(`${base}/classic/`);
    expect(links).toBeGreaterThanOrEqual(8);

    // Each mail in its recipient's language: the sender writes in Japanese, the en member reads English.
    expect(mailTo(member.email, 'projects.notification')?.text).toMatch(/^田中 愛子 assigned you to WEB-1 "Fix the header" in Web\./);
    expect(mailTo(jaMember.email, 'projects.notification')?.text).toMatch(/^田中 愛子 さんがあなたを担当者に設定しました: WEB-2「Fix the header」（Web）/);
    expect(mailTo(member.email, 'projects.wiki')?.text).toContain('created the wiki page "Home" in Web.');
    expect(mailTo(jaMember.email, 'projects.wiki')).toMatchObject({ subject: '[WEB] Wiki 作成: Home' });
    expect(mailTo(jaMember.email, 'projects.wiki')?.text).toContain('Wiki ページ「Home」を作成しました。');
  });
});

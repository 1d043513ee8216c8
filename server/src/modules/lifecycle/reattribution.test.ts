import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagedAccountActor } from '../identity';
// eslint-disable-next-line no-restricted-imports -- a managed account signs in only by SSO; the test issues its session as the SSO callback does
import { issueSession } from '../identity/sessions.service';
import { apiKeyOf, backlog } from '../../test/backlog-client';
import { TestClient } from '../../test/client';
import { addMember, PASSWORD, signUpUser, uniqueEmail, type TestUser } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';

/**
 * W4.11 (and W4.4, W4.5): an account's deletion never deletes org content it authored. Its issues,
 * comments and wiki pages stay in the project and read "deleted user" through `/api/v2` — for a
 * personal account deleting itself and for a managed account deleted by its org (the org's data kept).
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
}, 180_000);
afterAll(async () => {
  await t.close();
});

const scim: ManagedAccountActor = { accountId: null, kind: 'scim', ip: '127.0.0.9', userAgent: 'Okta SCIM' };

interface Authored {
  issueKey: string;
  commentId: number;
  wikiId: number;
  authorId: number;
}

/** The admin's project; the author (by API key) writes an issue, a comment and a wiki page in it. */
async function authorContent(admin: TestUser, adminKey: string, authorKey: string, projectKey: string): Promise<Authored> {
  const project = await backlog(t, adminKey, 'POST', '/projects', { name: projectKey, key: projectKey, chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' });
  expect(project.status).toBe(201);
  const authorId = (await backlog(t, authorKey, 'GET', '/users/myself')).body.id as number;
  expect((await backlog(t, adminKey, 'POST', `/projects/${projectKey}/users`, { userId: authorId })).status).toBe(200);
  const types = (await backlog(t, adminKey, 'GET', `/projects/${projectKey}/issueTypes`)).body;
  const issue = await backlog(t, authorKey, 'POST', '/issues', { projectId: project.body.id, summary: 'Written by the author', issueTypeId: types[0].id, priorityId: 3 });
  expect(issue.status).toBe(201);
  const comment = await backlog(t, authorKey, 'POST', `/issues/${issue.body.issueKey}/comments`, { content: 'A comment by the author' });
  expect(comment.status).toBe(201);
  const wiki = await backlog(t, authorKey, 'POST', '/wikis', { projectId: project.body.id, name: 'Author page', content: 'A page by the author' });
  expect(wiki.status).toBe(201);
  return { issueKey: issue.body.issueKey, commentId: comment.body.id, wikiId: wiki.body.id, authorId };
}

/** Read by the admin after the author's deletion: the content is there, its author a "deleted user". */
async function expectReattributed(adminKey: string, authored: Authored, gone: { email: string; name: string }) {
  const deletedUser = expect.objectContaining({ id: authored.authorId, name: 'deleted user', mailAddress: null });
  const issue = await backlog(t, adminKey, 'GET', `/issues/${authored.issueKey}`);
  expect(issue.status).toBe(200);
  expect(issue.body).toMatchObject({ summary: 'Written by the author', createdUser: deletedUser });
  const comments = await backlog(t, adminKey, 'GET', `/issues/${authored.issueKey}/comments`);
  expect(comments.status).toBe(200);
  expect(comments.body).toEqual([expect.objectContaining({ id: authored.commentId, content: 'A comment by the author', createdUser: deletedUser })]);
  const wiki = await backlog(t, adminKey, 'GET', `/wikis/${authored.wikiId}`);
  expect(wiki.status).toBe(200);
  expect(wiki.body).toMatchObject({ name: 'Author page', content: 'A page by the author', createdUser: deletedUser });
  for (const body of [issue.body, comments.body, wiki.body]) {
    expect(JSON.stringify(body)).not.toContain(gone.email);
    expect(JSON.stringify(body)).not.toContain(gone.name);
  }
}

describe('authored content after an account deletion (W4.11)', () => {
  it('a personal account deletes itself: its issues, comments and wiki pages stay, by "deleted user"', async () => {
    const admin = await signUpUser(t, { orgName: 'Kept Content' });
    const author = await addMember(t, admin, 'member', { name: 'Quinn Quitter' });
    const adminKey = await apiKeyOf(admin);
    const authored = await authorContent(admin, adminKey, await apiKeyOf(author), 'KEPT');
    expect((await author.client.post('/api/v1/me/delete', { password: PASSWORD })).status).toBe(204);
    expect((await author.client.get('/api/v1/me')).status).toBe(401);
    await t.kernel.events.drain();
    await expectReattributed(adminKey, authored, { email: author.email, name: 'Quinn Quitter' });
  }, 180_000);

  it('a managed account deleted by its org (the org data kept): its content stays, by "deleted user"', async () => {
    const admin = await signUpUser(t, { orgName: 'Managed Content' });
    const managed = await t.identity.managedAccounts.create(admin.orgId, { email: uniqueEmail('managed'), name: 'Mia Managed', role: 'member' }, scim);
    const session = await issueSession(t.identity.deps, managed.id, { ip: '127.0.0.1', userAgent: 'vitest', requestId: 'test' });
    const browser = new TestClient(t.app);
    browser.setCookie('toride_session', session.token);
    browser.setCookie('toride_csrf', session.csrfToken);
    const key = await browser.post('/api/v1/me/api-keys', { name: 'managed key', orgId: admin.orgId });
    expect(key.status).toBe(201);
    const adminKey = await apiKeyOf(admin);
    const authored = await authorContent(admin, adminKey, key.body.secret as string, 'MANAGED');
    await t.identity.managedAccounts.delete(admin.orgId, managed.id, scim);
    await t.kernel.events.drain();
    // Its key died with it; the org and its projects did not.
    expect((await backlog(t, key.body.secret as string, 'GET', '/users/myself')).status).toBe(401);
    await expectReattributed(adminKey, authored, { email: managed.email, name: 'Mia Managed' });
  }, 180_000);
});

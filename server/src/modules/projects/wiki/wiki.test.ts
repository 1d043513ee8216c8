import type { Backlog} from 'backlog-js';
import { Error as BacklogErrors } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, backlogClient, listenOnLoopback } from '../../../test/backlog-client';

describe('wiki pages through backlog-js 0.20.1 (issue 3 §1, §2)', () => {
  let t: TestApp;
  let admin: TestUser;
  let client: Backlog;
  let key: string;
  let memberKey: string;
  let outsiderKey: string;
  let otherOrgKey: string;
  let projectId: number;
  let otherOrgWikiId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { name: 'Ada Admin', orgName: 'Acme' });
    const member = await addMember(t, admin, 'member', { name: 'Mia Member' });
    const outsider = await addMember(t, admin, 'member', { name: 'Otto Outsider' });
    key = await apiKeyOf(admin);
    memberKey = await apiKeyOf(member);
    outsiderKey = await apiKeyOf(outsider);
    const port = await listenOnLoopback(t);
    client = backlogClient(port, key);
    const project = await client.postProject({ name: 'Docs', key: 'DOCS', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' });
    projectId = project.id;
    const memberId = (await backlogClient(port, memberKey).getMyself()).id;
    await client.postProjectUser(projectId, String(memberId));

    const other = await signUpUser(t, { orgName: 'Other' });
    otherOrgKey = await apiKeyOf(other);
    const otherProject = (await backlog(t, otherOrgKey, 'POST', '/projects', { name: 'Secret', key: 'SECRET' })).body;
    otherOrgWikiId = (await backlog(t, otherOrgKey, 'POST', '/wikis', { projectId: otherProject.id, name: 'Hidden', content: 'x' })).body.id;
  });
  afterAll(async () => t.close());

  it('postWiki, getWiki, getWikis, getWikisCount, getWikisTags, patchWiki, getWikisHistory, deleteWiki', async () => {
    const home = await client.postWiki({ projectId, name: '[spec][api] Home', content: '# Welcome\n\nStart here.', mailNotify: false });
    expect(home).toMatchObject({ projectId, name: '[spec][api] Home', content: '# Welcome\n\nStart here.', attachments: [], sharedFiles: [], stars: [] });
    expect(home.tags.map((tag) => tag.name)).toEqual(['api', 'spec']);
    expect(home.createdUser.name).toBe('Ada Admin');
    const notes = await client.postWiki({ projectId, name: '会議メモ', content: '週次の定例会議について' });

    expect(await client.getWiki(home.id)).toMatchObject({ id: home.id, content: '# Welcome\n\nStart here.' });
    const list = await client.getWikis({ projectIdOrKey: 'DOCS' });
    expect(list.map((w) => w.name)).toEqual(['[spec][api] Home', '会議メモ']);
    expect(list[0]).not.toHaveProperty('content');
    expect(await client.getWikisCount(projectId)).toEqual({ count: 2 });
    expect((await client.getWikisTags('DOCS')).map((tag) => tag.name)).toEqual(['api', 'spec']);

    const patched = await client.patchWiki(home.id, { name: '[spec] Home', content: 'Updated body' });
    expect(patched).toMatchObject({ name: '[spec] Home', content: 'Updated body' });
    expect(patched.tags.map((tag) => tag.name)).toEqual(['spec']);
    expect((await client.getWikisTags('DOCS')).map((tag) => tag.name)).toEqual(['spec']);
    const history = await client.getWikisHistory(home.id, {});
    expect(history.map((h) => [h.version, h.name, h.content])).toEqual([
      [2, '[spec] Home', 'Updated body'],
      [1, '[spec][api] Home', '# Welcome\n\nStart here.'],
    ]);
    expect(history[0]?.pageId).toBe(home.id);

    const deleted = await client.deleteWiki(notes.id, false);
    expect(deleted.name).toBe('会議メモ');
    await expect(client.getWiki(notes.id)).rejects.toBeInstanceOf(BacklogErrors.BacklogApiError);
    expect(await client.getWikisCount(projectId)).toEqual({ count: 1 });
    const audit = await t.kernel.audit.list({ orgId: admin.orgId, action: 'project.wiki_deleted' });
    expect(audit).toHaveLength(1);
  });

  it('keyword search finds substrings in names and content, Japanese included, case-insensitively', async () => {
    await client.postWiki({ projectId, name: 'Release plan', content: 'The LAUNCH checklist' });
    await client.postWiki({ projectId, name: '設計', content: '認証の設計メモ。ログインとセッション' });
    const names = async (keyword: string) => (await client.getWikis({ projectIdOrKey: projectId, keyword })).map((w) => w.name).sort();
    expect(await names('launch')).toEqual(['Release plan']);
    expect(await names('ログイン')).toEqual(['設計']);
    expect(await names('設計')).toEqual(['設計']); // two characters: below the trigram size
    expect(await names('plan')).toEqual(['Release plan']);
    expect(await names('50%_off')).toEqual([]);
    expect(await names('nothing-like-this')).toEqual([]);
  });

  it('renders Markdown to sanitised HTML for the web app', async () => {
    const page = await client.postWiki({ projectId, name: 'Rendered', content: '**bold** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.test)' });
    const html = (await backlog(t, key, 'GET', `/wikis/${page.id}/html`)).body.html as string;
    expect(html).toContain('<strong>bold</strong>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('href="https://example.test"');
  });

  it('mailNotify=true mails the other project members', async () => {
    await client.postWiki({ projectId, name: 'Announce', content: 'hello', mailNotify: true });
    const outbox = await t.kernel.mailer.outbox(20);
    expect(outbox.some((m) => m.subject === '[DOCS] Wiki created: Announce')).toBe(true);
  });

  it('401 without a key, 400 on bad input, 404 for missing, foreign and invisible pages (W7.7)', async () => {
    expect((await backlog(t, null, 'GET', `/wikis?projectIdOrKey=DOCS`)).status).toBe(401);
    const missingName = await backlog(t, key, 'POST', '/wikis', { projectId, content: 'x' });
    expect(missingName.status).toBe(400);
    expect(missingName.body.errors[0].code).toBe(7);
    expect((await backlog(t, key, 'GET', '/wikis')).status).toBe(400);
    expect((await backlog(t, key, 'GET', '/wikis/abc')).status).toBe(400);
    const duplicate = await backlog(t, key, 'POST', '/wikis', { projectId, name: 'Announce', content: 'again' });
    expect(duplicate.status).toBe(400);

    const random = await backlog(t, key, 'GET', '/wikis/987654');
    const foreign = await backlog(t, key, 'GET', `/wikis/${otherOrgWikiId}`);
    expect(random.status).toBe(404);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(random.body);
    for (const method of ['PATCH', 'DELETE'] as const) {
      const r = await backlog(t, key, method, `/wikis/${otherOrgWikiId}`, { name: 'pwned' });
      expect(r.status).toBe(404);
    }
    expect((await backlog(t, otherOrgKey, 'GET', `/wikis/${otherOrgWikiId}`)).body.name).toBe('Hidden');
    expect((await backlog(t, key, 'GET', '/wikis?projectIdOrKey=SECRET')).status).toBe(404);

    // A member of the org outside the project sees neither the project's pages nor their ids.
    const [page] = (await backlog(t, key, 'GET', '/wikis?projectIdOrKey=DOCS')).body;
    expect((await backlog(t, outsiderKey, 'GET', `/wikis/${page.id}`)).status).toBe(404);
    expect((await backlog(t, outsiderKey, 'GET', '/wikis?projectIdOrKey=DOCS')).status).toBe(404);
    // A project member may read and write pages.
    const created = await backlog(t, memberKey, 'POST', '/wikis', { projectId, name: 'By member', content: 'm' });
    expect(created.status).toBe(201);
  });
});

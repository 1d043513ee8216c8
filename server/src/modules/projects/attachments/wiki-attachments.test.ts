import type { Backlog } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, type Form, backlogClient, listenOnLoopback } from '../../../test/backlog-client';
import type { Kysely } from 'kysely';
import { projectsStoreSpec, type ProjectsDb } from '../projects.db';
import { projectsRegions } from '../projects.purge';

const upload = (client: Backlog, name: string, content: string | Uint8Array, type = 'text/plain') => {
  const form = new FormData();
  form.append('file', new Blob([content as BlobPart], { type }), name);
  return client.postSpaceAttachment(form);
};

/** Wiki page attachments and stars (backlog-js getWikisAttachments … getWikisStars; issue 3 §5, W7.7). */
describe('wiki attachments and stars', () => {
  let t: TestApp;
  let admin: Backlog;
  let member: Backlog;
  let keyAdmin: string;
  let keyMember: string;
  let keyViewer: string;
  let keyOutsider: string;
  let keyOther: string;
  let projectId: number;
  let adminId: number;
  let memberId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    const a = await signUpUser(t, { orgName: 'Acme' });
    const m = await addMember(t, a, 'member');
    const v = await addMember(t, a, 'member');
    const o = await addMember(t, a, 'member');
    expect((await a.client.request('PUT', `/api/v1/orgs/${a.orgId}/projects/restrictions/${v.accountId}`, { restriction: 'view_only' })).status).toBe(200);
    keyAdmin = await apiKeyOf(a);
    keyMember = await apiKeyOf(m);
    keyViewer = await apiKeyOf(v);
    keyOutsider = await apiKeyOf(o);
    keyOther = await apiKeyOf(await signUpUser(t, { orgName: 'Other' }));
    const port = await listenOnLoopback(t);
    admin = backlogClient(port, keyAdmin);
    member = backlogClient(port, keyMember);
    adminId = (await admin.getMyself()).id;
    memberId = (await member.getMyself()).id;
    projectId = (await admin.postProject({ name: 'Wiki files', key: 'WF', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' })).id;
    await admin.postProjectUser(projectId, String(memberId));
    await admin.postProjectUser(projectId, String((await backlog(t, keyViewer, 'GET', '/users/myself')).body.id));
  });
  afterAll(async () => t.close());

  it('attaches uploads to a page, lists them (also in the Wiki), downloads, deletes; disk usage counts them as wiki', async () => {
    const page = await member.postWiki({ projectId, name: 'Runbook', content: 'See the files', mailNotify: false });
    expect(await member.getWikisAttachments(page.id)).toEqual([]);
    const first = await upload(member, 'steps 手順.txt', 'step one');
    const second = await upload(member, 'diagram.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'image/png');
    const attached = await member.postWikisAttachments(page.id, [first.id, second.id]);
    expect(attached.map((f) => [f.id, f.name, f.size, f.createdUser.id])).toEqual([
      [first.id, 'steps 手順.txt', 8, memberId],
      [second.id, 'diagram.png', 4, memberId],
    ]);
    expect((await admin.getWikisAttachments(page.id)).map((f) => f.id)).toEqual([first.id, second.id]);
    expect((await admin.getWiki(page.id)).attachments.map((f) => f.name)).toEqual(['steps 手順.txt', 'diagram.png']);
    const file = (await admin.getWikiAttachment(page.id, first.id)) as { filename: string; body: ReadableStream };
    expect(file.filename).toBe('steps 手順.txt');
    expect(await new Response(file.body).text()).toBe('step one');
    const raw = await backlog(t, keyViewer, 'GET', `/wikis/${page.id}/attachments/${second.id}`);
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toBe('image/png');
    expect(raw.headers['x-content-type-options']).toBe('nosniff');
    expect((await backlog(t, keyAdmin, 'GET', `/projects/${projectId}/diskUsage`)).body).toMatchObject({ issue: 0, wiki: 12 });
    // An attached upload is no longer pending: neither another page nor an issue can take it.
    const other = await member.postWiki({ projectId, name: 'Other page', content: 'x', mailNotify: false });
    expect((await backlog(t, keyMember, 'POST', `/wikis/${other.id}/attachments`, { attachmentId: [first.id] })).status).toBe(400);
    const typeId = (await admin.getIssueTypes(projectId))[0]?.id as number;
    expect((await backlog(t, keyMember, 'POST', '/issues', { projectId, summary: 's', issueTypeId: typeId, priorityId: 3, attachmentId: [first.id] })).status).toBe(400);
    // A page's files outlive the one-hour pending window.
    t.clock.advance(2 * 60 * 60 * 1000);
    await upload(member, 'trigger-prune.txt', 'x');
    expect((await admin.getWikisAttachments(page.id)).map((f) => f.id)).toEqual([first.id, second.id]);
    const removed = await member.deleteWikisAttachments(page.id, first.id);
    expect(removed).toMatchObject({ id: first.id, name: 'steps 手順.txt' });
    expect((await admin.getWikisAttachments(page.id)).map((f) => f.id)).toEqual([second.id]);
    expect((await backlog(t, keyAdmin, 'GET', `/wikis/${page.id}/attachments/${first.id}`)).status).toBe(404);
  });

  it('stars of a page: GET /wikis/:id/stars and the Wiki’s stars; deleting the page deletes its files and stars', async () => {
    const page = await admin.postWiki({ projectId, name: 'Starred', content: 'shine', mailNotify: false });
    expect(await member.getWikisStars(page.id)).toEqual([]);
    await member.postStar({ wikiId: page.id });
    await admin.postStar({ wikiId: page.id });
    const stars = await admin.getWikisStars(page.id);
    expect(stars.map((s) => [s.presenter.id, s.title])).toEqual([
      [memberId, 'Starred'],
      [adminId, 'Starred'],
    ]);
    expect(stars[0]?.url.endsWith(`/wiki/${page.id}`)).toBe(true);
    expect((await member.getWiki(page.id)).stars.map((s) => s.id)).toEqual(stars.map((s) => s.id));
    const file = await upload(admin, 'gone.txt', 'bye');
    await admin.postWikisAttachments(page.id, [file.id]);
    expect(await member.getUserStarsCount(adminId, {})).toEqual({ count: 2 }); // received by the page's author
    await admin.deleteWiki(page.id, false);
    expect(await member.getUserStarsCount(adminId, {})).toEqual({ count: 0 });
    expect((await backlog(t, keyAdmin, 'GET', `/projects/${projectId}/diskUsage`)).body).toMatchObject({ wiki: 4 });
  });

  it('no bytes outlive their page or issue: deleting either deletes the stored blobs', async () => {
    const blobs = async () => {
      let n = 0;
      for (const region of projectsRegions(t.kernel)) {
        const db = (await t.kernel.stores.open<ProjectsDb>(projectsStoreSpec(region))).db as Kysely<ProjectsDb>;
        n += Number((await db.selectFrom('blobs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
      }
      return n;
    };
    const page = await admin.postWiki({ projectId, name: 'Short-lived', content: 'x', mailNotify: false });
    await admin.postWikisAttachments(page.id, [(await upload(admin, 'p.txt', 'page bytes')).id]);
    const typeId = (await admin.getIssueTypes(projectId))[0]?.id as number;
    const issue = await admin.postIssue({ projectId, summary: 'Short-lived', issueTypeId: typeId, priorityId: 3, attachmentId: [(await upload(admin, 'i.txt', 'issue bytes')).id] });
    const before = await blobs();
    await admin.deleteWiki(page.id, false);
    expect(await blobs()).toBe(before - 1);
    await admin.deleteIssue(issue.id);
    expect(await blobs()).toBe(before - 2);
  });

  it('401, 400, 403 (view-only, others’ files), 404 (outsiders, unknown ids)', async () => {
    const page = await admin.postWiki({ projectId, name: 'Guarded', content: 'x', mailNotify: false });
    const file = await upload(admin, 'admin.txt', 'a');
    await admin.postWikisAttachments(page.id, [file.id]);
    expect((await backlog(t, null, 'GET', `/wikis/${page.id}/attachments`)).status).toBe(401);
    expect((await backlog(t, null, 'GET', `/wikis/${page.id}/stars`)).status).toBe(401);
    expect((await backlog(t, keyMember, 'POST', `/wikis/${page.id}/attachments`, {})).status).toBe(400);
    expect((await backlog(t, keyMember, 'POST', `/wikis/${page.id}/attachments`, { attachmentId: ['x'] })).status).toBe(400);
    expect((await backlog(t, keyMember, 'POST', `/wikis/${page.id}/attachments`, { attachmentId: [987654] })).status).toBe(400);
    expect((await backlog(t, keyMember, 'GET', `/wikis/x/attachments`)).status).toBe(400);
    const mine = await upload(member, 'm.txt', 'm');
    const viewerUpload = await backlog(t, keyViewer, 'POST', `/wikis/${page.id}/attachments`, { attachmentId: [mine.id] });
    expect(viewerUpload.status).toBe(403);
    expect((await backlog(t, keyViewer, 'DELETE', `/wikis/${page.id}/attachments/${file.id}`)).status).toBe(403);
    expect((await backlog(t, keyMember, 'DELETE', `/wikis/${page.id}/attachments/${file.id}`)).status).toBe(403);
    expect((await backlog(t, keyViewer, 'GET', `/wikis/${page.id}/attachments`)).status).toBe(200);
    for (const key of [keyOutsider, keyOther]) {
      const cases: ['GET' | 'POST' | 'DELETE', string, Form | undefined][] = [
        ['GET', `/wikis/${page.id}/attachments`, undefined],
        ['POST', `/wikis/${page.id}/attachments`, { attachmentId: [mine.id] }],
        ['GET', `/wikis/${page.id}/attachments/${file.id}`, undefined],
        ['DELETE', `/wikis/${page.id}/attachments/${file.id}`, undefined],
        ['GET', `/wikis/${page.id}/stars`, undefined],
      ];
      for (const [method, path, form] of cases) {
        const hidden = await backlog(t, key, method, path, form);
        const random = await backlog(t, key, method, path.replace(String(page.id), '987654'), form);
        expect(hidden.status, `${method} ${path}`).toBe(404);
        expect(hidden.body).toEqual(random.body);
      }
    }
    // Another page's attachment id under this page does not exist.
    const elsewhere = await admin.postWiki({ projectId, name: 'Elsewhere', content: 'x', mailNotify: false });
    expect((await backlog(t, keyAdmin, 'GET', `/wikis/${elsewhere.id}/attachments/${file.id}`)).status).toBe(404);
    expect((await admin.getWikisAttachments(page.id)).map((f) => f.id)).toEqual([file.id]);
  });
});

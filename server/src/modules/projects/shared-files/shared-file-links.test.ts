import type { Backlog } from 'backlog-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUpUser, type TestUser } from '../../../test/factories';
import { buildTestApp, type TestApp } from '../../../test/harness';
import { apiKeyOf, backlog, backlogClient, listenOnLoopback } from '../../../test/backlog-client';

/**
 * Shared files linked to issues and wiki pages (Backlog `…/sharedFiles`), driven through backlog-js
 * 0.20.1: link, list, unlink, the issue change log, the `sharedFile` issue filter, roles, file
 * sharing off, and W7.7 across projects and orgs.
 */
describe('shared files linked to issues and wiki pages', () => {
  let t: TestApp;
  let port: number;
  let admin: TestUser;
  let keyAdmin: string;
  let keyMember: string;
  let keyViewOnly: string;
  let keyOther: string;
  let client: Backlog;
  let member: Backlog;
  let projectId: number;
  let typeId: number;
  let fileA: number;
  let fileB: number;
  let dirId: number;
  let elsewhere: number;

  const upload = async (key: string, project: string, dir: string, name: string, content: string) => {
    const form = new FormData();
    form.append('dir', dir);
    form.append('file', new Blob([content], { type: 'text/plain' }), name);
    const response = await fetch(`http://127.0.0.1:${port}/api/v2/projects/${project}/files`, { method: 'POST', headers: { 'backlog-api-key': key }, body: form });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: number }).id;
  };
  const newIssue = async (summary: string) => (await member.postIssue({ projectId, summary, issueTypeId: typeId, priorityId: 3 })).issueKey;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await signUpUser(t, { orgName: 'Acme' });
    keyAdmin = await apiKeyOf(admin);
    keyMember = await apiKeyOf(await addMember(t, admin, 'member', { name: 'Mia Member' }));
    const viewer = await addMember(t, admin, 'member', { name: 'Vic Viewer' });
    keyViewOnly = await apiKeyOf(viewer);
    keyOther = await apiKeyOf(await signUpUser(t, { orgName: 'Other' }));
    expect((await admin.client.request('PUT', `/api/v1/orgs/${admin.orgId}/projects/restrictions/${viewer.accountId}`, { restriction: 'view_only' })).status).toBe(200);
    port = await listenOnLoopback(t);
    client = backlogClient(port, keyAdmin);
    member = backlogClient(port, keyMember);
    projectId = (await client.postProject({ name: 'Links', key: 'LNK', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' })).id;
    for (const key of [keyMember, keyViewOnly]) await client.postProjectUser(projectId, String((await backlog(t, key, 'GET', '/users/myself')).body.id));
    typeId = (await client.getIssueTypes(projectId))[0]?.id as number;
    dirId = (await backlog(t, keyAdmin, 'POST', '/projects/LNK/directories', { dir: '/', name: 'design' })).body.id;
    fileA = await upload(keyAdmin, 'LNK', '/design/', 'site.png', 'png bytes');
    fileB = await upload(keyAdmin, 'LNK', '/', 'notes.txt', 'notes');
    await client.postProject({ name: 'Elsewhere', key: 'ELSE', chartEnabled: false, subtaskingEnabled: false, textFormattingRule: 'markdown' });
    elsewhere = await upload(keyAdmin, 'ELSE', '/', 'else.txt', 'else');
  });
  afterAll(async () => t.close());

  it('links files to an issue (200, SharedFile[]), lists, unlinks, and writes the change log', async () => {
    const key = await newIssue('With shared files');
    expect(await member.getIssueSharedFiles(key)).toEqual([]);
    const linked = await member.linkIssueSharedFiles(key, { fileId: [fileA, fileB] });
    expect(linked.map((f) => [f.id, f.dir, f.name, f.type])).toEqual([
      [fileA, '/design/', 'site.png', 'file'],
      [fileB, '/', 'notes.txt', 'file'],
    ]);
    // Linking again is harmless: the answer names the requested files, no second change-log entry.
    expect((await member.linkIssueSharedFiles(key, { fileId: [fileA] })).map((f) => f.id)).toEqual([fileA]);
    expect((await client.getIssueSharedFiles(key)).map((f) => f.id)).toEqual([fileA, fileB]);
    const removed = await member.unlinkIssueSharedFile(key, fileA);
    expect(removed).toMatchObject({ id: fileA, name: 'site.png', projectId });
    expect((await member.getIssueSharedFiles(key)).map((f) => f.id)).toEqual([fileB]);
    // The Issue entity carries them too, in the single issue and in lists.
    expect((await member.getIssue(key)).sharedFiles).toEqual(await member.getIssueSharedFiles(key));
    expect((await member.getIssues({ projectId: [projectId], keyword: 'With shared files' }))[0]?.sharedFiles.map((f) => f.name)).toEqual(['notes.txt']);
    const unlinkAgain = await backlog(t, keyMember, 'DELETE', `/issues/${key}/sharedFiles/${fileA}`);
    expect(unlinkAgain.status).toBe(404);
    expect(unlinkAgain.body.errors[0].code).toBe(6);

    const log = await member.getIssueComments(key, { order: 'asc' });
    expect(log.map((c) => c.changeLog.map((ch) => [ch.field, ch.newValue, ch.originalValue]))).toEqual([
      [
        ['sharedFile', '/design/site.png', null],
        ['sharedFile', '/notes.txt', null],
      ],
      [['sharedFile', null, '/design/site.png']],
    ]);
    // Each link and unlink is an "issue updated" activity (type 2) carrying the change, as Backlog's webhooks send.
    const updates = (await client.getProjectActivities(projectId, { activityTypeId: [2], count: 100 })).filter((a) => (a.content as { key_id?: number }).key_id === Number(key.split('-')[1]));
    expect(updates.map((a) => (a.content as { changes: { field: string; new_value: string | null; old_value: string | null }[] }).changes.map((c) => [c.field, c.new_value, c.old_value]))).toEqual([
      [['sharedFile', null, '/design/site.png']],
      [
        ['sharedFile', '/design/site.png', null],
        ['sharedFile', '/notes.txt', null],
      ],
    ]);
    // The file itself is untouched by unlinking; deleting the file drops its links.
    expect((await backlog(t, keyAdmin, 'GET', `/projects/LNK/files/${fileA}`)).status).toBe(200);
    const temp = await upload(keyAdmin, 'LNK', '/', 'temp.txt', 't');
    await member.linkIssueSharedFiles(key, { fileId: [temp] });
    await backlog(t, keyAdmin, 'DELETE', `/projects/LNK/files/${temp}`);
    expect((await member.getIssueSharedFiles(key)).map((f) => f.id)).toEqual([fileB]);
  });

  it('filters issues by sharedFile=true|false on /issues and /issues/count', async () => {
    const withFile = await newIssue('filter: with');
    const without = await newIssue('filter: without');
    await member.linkIssueSharedFiles(withFile, { fileId: [fileB] });
    const keys = async (sharedFile: boolean) => (await client.getIssues({ projectId: [projectId], sharedFile, keyword: 'filter:' })).map((i) => i.issueKey);
    expect(await keys(true)).toEqual([withFile]);
    expect(await keys(false)).toEqual([without]);
    const all = (await client.getIssuesCount({ projectId: [projectId] })).count;
    const yes = (await client.getIssuesCount({ projectId: [projectId], sharedFile: true })).count;
    const no = (await client.getIssuesCount({ projectId: [projectId], sharedFile: false })).count;
    expect(yes).toBeGreaterThan(0);
    expect(yes + no).toBe(all);
    expect((await backlog(t, keyAdmin, 'GET', '/issues', { sharedFile: 'maybe' })).status).toBe(400);
  });

  it('links files to a wiki page through backlog-js and lists them (the former [] stub is gone)', async () => {
    const wiki = await member.postWiki({ projectId, name: 'Design', content: 'see files' });
    expect(await member.getWikisSharedFiles(wiki.id)).toEqual([]);
    expect((await member.linkWikisSharedFiles(wiki.id, [fileB, fileA])).map((f) => f.id)).toEqual([fileB, fileA]);
    expect((await backlog(t, keyViewOnly, 'GET', `/wikis/${wiki.id}/sharedFiles`)).body.map((f: { id: number }) => f.id)).toEqual([fileB, fileA]);
    expect(await member.unlinkWikisSharedFiles(wiki.id, fileB)).toMatchObject({ id: fileB, name: 'notes.txt' });
    expect((await client.getWikisSharedFiles(wiki.id)).map((f) => f.id)).toEqual([fileA]);
    // The Wiki entity carries them too.
    expect((await member.getWiki(wiki.id)).sharedFiles.map((f) => f.id)).toEqual([fileA]);
    expect((await backlog(t, keyMember, 'DELETE', `/wikis/${wiki.id}/sharedFiles/${fileB}`)).status).toBe(404);
  });

  it('refuses directories, other projects’ files, unknown ids and empty lists with 400 code 7; 401 without a key', async () => {
    const key = await newIssue('refusals');
    const wikiId = (await backlog(t, keyMember, 'POST', '/wikis', { projectId, name: 'Refusals', content: 'x' })).body.id;
    for (const path of [`/issues/${key}/sharedFiles`, `/wikis/${wikiId}/sharedFiles`]) {
      for (const fileId of [[dirId], [elsewhere], [987654], [fileA, 987654]]) {
        const res = await backlog(t, keyMember, 'POST', path, { fileId });
        expect(res.status, `${path} ${fileId}`).toBe(400);
        expect(res.body.errors[0].code).toBe(7);
      }
      expect((await backlog(t, keyMember, 'POST', path, {})).status).toBe(400);
      expect((await backlog(t, keyMember, 'POST', path, { fileId: ['x'] })).status).toBe(400);
      expect((await backlog(t, null, 'GET', path)).status).toBe(401);
      expect((await backlog(t, null, 'POST', path, { fileId: [fileA] })).status).toBe(401);
    }
    expect(await member.getIssueSharedFiles(key)).toEqual([]);
    expect((await backlog(t, keyMember, 'DELETE', `/issues/${key}/sharedFiles/abc`)).status).toBe(400);
  });

  it('"view only" reads links but may not link or unlink (403 code 5); file sharing off answers 403 code 5', async () => {
    const key = await newIssue('roles');
    await member.linkIssueSharedFiles(key, { fileId: [fileB] });
    const wikiId = (await backlog(t, keyMember, 'POST', '/wikis', { projectId, name: 'Roles', content: 'x' })).body.id;
    await member.linkWikisSharedFiles(wikiId, [fileB]);
    expect((await backlog(t, keyViewOnly, 'GET', `/issues/${key}/sharedFiles`)).body).toHaveLength(1);
    for (const [method, path] of [
      ['POST', `/issues/${key}/sharedFiles`],
      ['DELETE', `/issues/${key}/sharedFiles/${fileB}`],
      ['POST', `/wikis/${wikiId}/sharedFiles`],
      ['DELETE', `/wikis/${wikiId}/sharedFiles/${fileB}`],
    ] as const) {
      const res = await backlog(t, keyViewOnly, method, path, method === 'POST' ? { fileId: [fileA] } : undefined);
      expect(res.status, path).toBe(403);
      expect(res.body.errors[0].code).toBe(5);
    }

    expect((await backlog(t, keyAdmin, 'PATCH', `/projects/${projectId}`, { useFileSharing: false })).status).toBe(200);
    try {
      for (const [method, path] of [
        ['GET', `/issues/${key}/sharedFiles`],
        ['POST', `/issues/${key}/sharedFiles`],
        ['DELETE', `/issues/${key}/sharedFiles/${fileB}`],
        ['GET', `/wikis/${wikiId}/sharedFiles`],
        ['POST', `/wikis/${wikiId}/sharedFiles`],
      ] as const) {
        const res = await backlog(t, keyMember, method, path, method === 'POST' ? { fileId: [fileA] } : undefined);
        expect(res.status, path).toBe(403);
        expect(res.body.errors[0].code).toBe(5);
      }
    } finally {
      await backlog(t, keyAdmin, 'PATCH', `/projects/${projectId}`, { useFileSharing: true });
    }
  });

  it('W7.7 another org’s issues, pages and file ids answer exactly like ids that do not exist', async () => {
    const key = await newIssue('secret');
    await member.linkIssueSharedFiles(key, { fileId: [fileB] });
    const wikiId = (await backlog(t, keyMember, 'POST', '/wikis', { projectId, name: 'Secret', content: 'x' })).body.id;
    const issueId = (await client.getIssue(key)).id;
    for (const [method, foreign, random] of [
      ['GET', `/issues/${issueId}/sharedFiles`, '/issues/987654/sharedFiles'],
      ['GET', `/issues/${key}/sharedFiles`, '/issues/NOPE-1/sharedFiles'],
      ['POST', `/issues/${issueId}/sharedFiles`, '/issues/987654/sharedFiles'],
      ['DELETE', `/issues/${issueId}/sharedFiles/${fileB}`, '/issues/987654/sharedFiles/987654'],
      ['GET', `/wikis/${wikiId}/sharedFiles`, '/wikis/987654/sharedFiles'],
      ['POST', `/wikis/${wikiId}/sharedFiles`, '/wikis/987654/sharedFiles'],
      ['DELETE', `/wikis/${wikiId}/sharedFiles/${fileB}`, '/wikis/987654/sharedFiles/987654'],
    ] as const) {
      const form = method === 'POST' ? { fileId: [fileB] } : undefined;
      const a = await backlog(t, keyOther, method, foreign, form);
      const b = await backlog(t, keyOther, method, random, form);
      expect(a.status, foreign).toBe(404);
      expect(a.body).toEqual(b.body);
    }
    // Their own issue cannot take this org's file: the same 400 as an id that does not exist.
    const theirs = (await backlog(t, keyOther, 'POST', '/projects', { name: 'Theirs', key: 'THEIRS' })).body;
    const theirType = (await backlog(t, keyOther, 'GET', '/projects/THEIRS/issueTypes')).body[0].id;
    const theirIssue = (await backlog(t, keyOther, 'POST', '/issues', { projectId: theirs.id, summary: 'x', issueTypeId: theirType, priorityId: 3 })).body.issueKey;
    const steal = await backlog(t, keyOther, 'POST', `/issues/${theirIssue}/sharedFiles`, { fileId: [fileB] });
    const random = await backlog(t, keyOther, 'POST', `/issues/${theirIssue}/sharedFiles`, { fileId: [987654] });
    expect(steal.status).toBe(400);
    expect(steal.body).toEqual(random.body);
    expect((await backlog(t, keyOther, 'GET', '/issues', { sharedFile: true })).body).toEqual([]);
    expect((await member.getIssueSharedFiles(key)).map((f) => f.id)).toEqual([fileB]);
  });
});
